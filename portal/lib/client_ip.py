"""The client's address, and a keyed hash of it for logs that must not keep the address itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

IP_HASH_SALT = "pramen.accounts.ip"


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""


def hash_ip(ip: str) -> str:
    """A keyed hash of an IP address: equal addresses match, the address itself is not kept."""
    if not ip:
        return ""
    return salted_hmac(IP_HASH_SALT, ip, algorithm="sha256").hexdigest()[:32]


def request_ip_hash(request: HttpRequest) -> str:
    return hash_ip(client_ip(request))
