from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from app.health.selectors import health


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each part when all are well, else 503 with ``failing`` naming the parts."""
    report = health()
    failing = report.failing
    return JsonResponse(
        {
            "status": "failing" if failing else "ok",
            "failing": failing,
            **{name: part.as_json() for name, part in report.parts.items()},
        },
        status=503 if failing else 200,
    )
