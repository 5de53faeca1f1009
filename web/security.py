"""Response headers that keep pages safe in a browser: the content security policy, no sniffing, no
referrer outside the site, and no stored copies of personal pages."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

# No script, no outside assets: the pages only need their own stylesheet and forms.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def security_headers(response: Response) -> Response:
    """Add the headers to every response (a view's own header of the same name wins)."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Ratings, SKPs, PDFs and API answers are personal: no browser or proxy keeps a copy. Only the
    # stylesheet and the anonymous public pages may be cached.
    if not request.path.startswith("/static/") and (
            current_user.is_authenticated or request.path.startswith("/api/")
            or "Authorization" in request.headers):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
