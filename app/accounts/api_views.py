"""The auth API: a token for a user name and password, one's own tokens, who one is."""

from dataclasses import asdict

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from app.accounts import selectors, services, throttle
from app.accounts.serializers import (
    AccountSerializer,
    ErrorSerializer,
    NewTokenSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


def _token_json(token) -> dict:
    return TokenSerializer(token).data


class TokenObtain(APIView):
    # No authentication (hence no CSRF check): the user name and password are the credentials.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A new API token for a user name and password",
        request=TokenRequestSerializer,
        responses={
            201: NewTokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Missing field or wrong password"),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many failed sign-ins for the user name from this address, "
                "or from this address: wait the seconds in Retry-After (growing back-off)",
            ),
        },
        auth=[],
    )
    def post(self, request):
        params = TokenRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            user = services.sign_in(
                username=params.validated_data["username"],
                password=params.validated_data["password"],
                address=throttle.client_address(request),
                request=request._request,
            )
        except throttle.SignInRefused as refusal:
            return Response(
                {"error": refusal.message},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(refusal.retry_after_seconds)},
            )
        except services.WrongCredentials as error:
            return Response(
                {"error": f"password: {error}", "parameter": "password"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        new = services.create_token(
            user=user,
            name=params.validated_data["name"],
            expires_in_days=params.validated_data["expires_in_days"],
        )
        return Response(
            {**_token_json(new.token), "token": new.key}, status=status.HTTP_201_CREATED
        )


class TokenList(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Your active API tokens", responses=TokenSerializer(many=True))
    def get(self, request):
        return Response([_token_json(token) for token in selectors.active_tokens(request.user)])


class TokenDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Revoke one of your API tokens",
        responses={204: None, 404: OpenApiResponse(ErrorSerializer, description="Not yours")},
    )
    def delete(self, request, token_id: int):
        try:
            services.revoke_token(user=request.user, token_id=token_id)
        except services.TokenNotFound as error:
            return Response({"error": str(error)}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Me(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Who you are: roles, organisation, limits and what you may do",
        responses=AccountSerializer,
    )
    def get(self, request):
        return Response(AccountSerializer(asdict(selectors.account(request.user))).data)
