"""Privacy primitives, in one place: normalising, keyed hashing, encryption, client address.

Forms, the signing flow, admin search and exports all go through these functions, so a
signer's email is hashed and encrypted the same way everywhere.
"""

import contextlib
import hashlib
import hmac
import ipaddress
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

# Providers that ignore dots in the local part, so a.b@gmail.com and ab@gmail.com are one inbox.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalize_email(address: str) -> str:
    """The canonical form of an address, used only to recognise the same person twice.

    Lower case, surrounding spaces dropped, "+tag" suffixes removed, and for Gmail the dots in
    the local part ignored. The address the person typed is what we write to.
    """
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    if domain in _DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def keyed_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 of `value` under the site's hash key, separated by `purpose`.

    Without the key a hash cannot be reversed by trying every address or every IP address.
    """
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(settings.PRIVACY_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def email_hash(address: str) -> str:
    return keyed_hash(normalize_email(address), "email")


@cache
def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in settings.EMAIL_ENCRYPTION_KEYS])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"EMAIL_ENCRYPTION_KEYS is invalid: {error}") from error


def encrypt(text: str) -> str:
    """Encrypt with the first key of EMAIL_ENCRYPTION_KEYS."""
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt with any key of EMAIL_ENCRYPTION_KEYS; "" for an erased or unreadable value."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        return ""


def rotate(token: str) -> str:
    """Re-encrypt a value under the current (first) key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the address the trusted proxies saw.

    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is the
    client (each proxy appends the address it received the request from). Addresses further
    left were written by the client and are never trusted.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def ip_hash(request: HttpRequest) -> str:
    """Keyed hash of the client's address; for IPv6, of its /64, which one household holds."""
    address = client_ip(request)
    if ":" in address:
        address = str(ipaddress.ip_network(f"{address}/64", strict=False))
    return keyed_hash(address, "ip")
