"""fastlint's rules: one module per rule, grouped by risk. This list is the registry."""

from __future__ import annotations

from fastlint.rule import Rule

from .auth.credential_never_verified import CredentialNeverVerified
from .auth.fail_open_auth import FailOpenAuth
from .auth.identity_from_request import IdentityFromRequest
from .auth.object_id_without_owner_check import ObjectIdWithoutOwnerCheck
from .auth.privileged_route_without_authorization import PrivilegedRouteWithoutAuthorization
from .auth.unauthenticated_route import UnauthenticatedRoute
from .auth.unsafe_credential_compare import UnsafeCredentialCompare
from .auth.weak_jwt_verification import WeakJwtVerification
from .config.cors_credentials_any_origin import CorsCredentialsAnyOrigin
from .config.debug_or_dev_server import DebugOrDevServer
from .config.host_header_trust import HostHeaderTrust
from .config.openapi_docs_exposed import OpenapiDocsExposed
from .consumption.no_rate_limiting import NoRateLimiting
from .consumption.unbounded_upload_read import UnboundedUploadRead
from .exposure.credential_in_url import CredentialInUrl
from .exposure.exception_detail_in_response import ExceptionDetailInResponse
from .exposure.hidden_public_route import HiddenPublicRoute
from .exposure.mass_assignable_field import MassAssignableField
from .exposure.missing_response_model import MissingResponseModel
from .exposure.sensitive_data_logged import SensitiveDataLogged
from .exposure.sensitive_field_in_response import SensitiveFieldInResponse
from .injection.open_redirect import OpenRedirect
from .injection.request_path_to_file import RequestPathToFile
from .injection.request_to_command import RequestToCommand
from .injection.request_to_raw_sql import RequestToRawSql
from .injection.request_url_fetched import RequestUrlFetched
from .input.unconstrained_string_field import UnconstrainedStringField
from .routing.shadowed_route import ShadowedRoute
from .secrets.hardcoded_signing_secret import HardcodedSigningSecret
from .secrets.insecure_auth_cookie import InsecureAuthCookie

# In code order, whatever the order of the lines below (reports and tables follow it).
ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            UnauthenticatedRoute,
            MissingResponseModel,
            SensitiveFieldInResponse,
            UnconstrainedStringField,
            OpenapiDocsExposed,
            NoRateLimiting,
            CorsCredentialsAnyOrigin,
            HardcodedSigningSecret,
            InsecureAuthCookie,
            DebugOrDevServer,
            CredentialNeverVerified,
            FailOpenAuth,
            IdentityFromRequest,
            WeakJwtVerification,
            UnsafeCredentialCompare,
            ExceptionDetailInResponse,
            SensitiveDataLogged,
            MassAssignableField,
            UnboundedUploadRead,
            CredentialInUrl,
            PrivilegedRouteWithoutAuthorization,
            HiddenPublicRoute,
            ObjectIdWithoutOwnerCheck,
            ShadowedRoute,
            HostHeaderTrust,
            RequestUrlFetched,
            OpenRedirect,
            RequestPathToFile,
            RequestToRawSql,
            RequestToCommand,
        ),
        key=lambda rule: rule.code,
    )
)
