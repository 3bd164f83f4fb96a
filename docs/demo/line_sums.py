"""Sample solution of the demo's code challenge "Warm-up: the sum of each line".

Each test gives lines of whole numbers on standard input; print the sum of
each line, one per line. Submit this file as it is (a single .py file), or
zipped as main.py.
"""

import sys

for line in sys.stdin:
    print(sum(int(number) for number in line.split()))
