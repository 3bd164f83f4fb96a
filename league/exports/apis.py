"""The exports API: list the datasets, export one, follow a background job."""

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from league.errors import Conflict
from league.exports import registry, responses, selectors, services
from league.exports.models import ExportFormat, ExportStatus
from league.openapi import ERROR, ErrorSerializer, TypedInput


class CanExport(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("league.export_data"))


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class InputSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    choices = ChoiceSerializer(many=True)


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    inputs = InputSerializer(many=True, help_text='The keys and values "params" takes.')


class DatasetListSerializer(serializers.Serializer):
    formats = serializers.ListField(
        child=serializers.CharField(), help_text="csv-excel, csv, xlsx, json"
    )
    datasets = DatasetSerializer(many=True)


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = serializers.CharField()
    params = serializers.DictField(child=serializers.CharField())
    format = serializers.ChoiceField(choices=ExportFormat.values)
    status = serializers.ChoiceField(choices=ExportStatus.values)
    status_label = serializers.CharField()
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    percent = serializers.IntegerField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField(allow_null=True, help_text="Set once the job is done.")


class ExportRequestSerializer(TypedInput):
    dataset = serializers.CharField(max_length=64)
    format = serializers.ChoiceField(choices=ExportFormat.values, default=ExportFormat.CSV_EXCEL)
    params = serializers.DictField(
        required=False, default=dict, help_text='The dataset\'s inputs, e.g. {"phase": 3}.'
    )


FILE_RESPONSES = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="A small export."),
    (200, "application/json"): OpenApiResponse(
        OpenApiTypes.OBJECT, description='`{"meta", "columns", "rows"}`'
    ),
    (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ): OpenApiResponse(OpenApiTypes.BINARY, description="A small export."),
}


def _dataset_dict(dataset: registry.Dataset) -> dict:
    return {
        "name": dataset.name,
        "title": str(dataset.title),
        "inputs": [
            {
                "name": i.name,
                "label": str(i.label),
                "choices": [{"value": v, "label": str(label)} for v, label in i.choices()],
            }
            for i in dataset.inputs
        ],
    }


class ExportsApi(APIView):
    permission_classes = [IsAuthenticated, CanExport]
    parser_classes = [JSONParser]  # "params" is an object

    @extend_schema(operation_id="exports_list", responses={200: DatasetListSerializer})
    def get(self, request):
        datasets = [_dataset_dict(d) for d in registry.available(request.user)]
        return Response({"formats": ExportFormat.values, "datasets": datasets})

    @extend_schema(
        operation_id="exports_create",
        request=ExportRequestSerializer,
        responses={
            **FILE_RESPONSES,
            202: OpenApiResponse(JobSerializer, description="A large export, queued."),
            404: OpenApiResponse(ErrorSerializer, description="No dataset has this name."),
        },
        description=(
            "Small exports (up to EXPORT_STREAM_MAX_ROWS rows) answer with the file; "
            "larger ones answer 202 with a job to follow."
        ),
    )
    def post(self, request):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.export_request(
            user=request.user,
            dataset_name=data["dataset"],
            params=data["params"],
            format=data["format"],
        )
        if isinstance(result, services.Export):
            return responses.export_response(result)
        return Response(responses.job_dict(result), status=status.HTTP_202_ACCEPTED)


class ExportJobApi(APIView):
    @extend_schema(operation_id="exports_job", responses={200: JobSerializer})
    def get(self, request, job_id: int):
        job = selectors.job_get_for_user(user=request.user, job_id=job_id)
        return Response(responses.job_dict(job))


class ExportJobDownloadApi(APIView):
    @extend_schema(
        operation_id="exports_job_download",
        responses={**FILE_RESPONSES, 409: ERROR},
    )
    def get(self, request, job_id: int):
        job = selectors.job_get_for_user(user=request.user, job_id=job_id)
        if job.status != ExportStatus.DONE or not job.file:
            raise Conflict(_not_ready(job), code="export_not_ready")
        return responses.job_file_response(job)


def _not_ready(job) -> str:
    if job.status == ExportStatus.FAILED:
        return gettext("The export failed: %(error)s") % {"error": job.error}
    return gettext("The export is not finished yet (%(percent)d%%).") % {"percent": job.percent}
