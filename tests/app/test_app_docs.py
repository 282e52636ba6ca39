"""/docs and /redoc work with no network: every script, stylesheet and icon comes from the app."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

DOCS_PAGES = ["/docs", "/redoc"]
LINKING_ATTRS = {"src", "href", "spec-url"}  # spec-url: where ReDoc reads the schema
CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
    ".json": ("application/json",),
}


class _LinkedUrls(HTMLParser):
    """The URLs a page's tags make the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in LINKING_ATTRS and value]


def linked_urls(html: str) -> list[str]:
    parser = _LinkedUrls()
    parser.feed(html)
    # Swagger UI is told where the schema is in its inline script, not in an attribute.
    return parser.urls + re.findall(r"\burl: '([^']+)'", html)


def external_urls(html: str) -> list[str]:
    """Every URL that names a host: absolute anywhere in the page, or in a linked URL."""
    absolute = re.findall(r"https?://[^\s\"'<>)]+", html)
    named_host = [url for url in linked_urls(html) if urlsplit(url).scheme or urlsplit(url).netloc]
    return absolute + named_host


def _docs_html(client: TestClient, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_fastapi_default_docs_page_names_a_cdn(page: str) -> None:
    # The check the tests below rely on can fail: on FastAPI's own pages it finds the CDNs.
    html = _docs_html(TestClient(FastAPI()), page)

    hosts = {urlsplit(url).hostname for url in external_urls(html)}

    assert "cdn.jsdelivr.net" in hosts
    if page == "/redoc":
        assert "fonts.googleapis.com" in hosts


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_docs_page_names_no_external_host(client: TestClient, page: str) -> None:
    html = _docs_html(client, page)

    assert external_urls(html) == []
    assert linked_urls(html), "the page loads nothing: the check above would pass vacuously"
    for url in linked_urls(html):
        assert url.startswith("/"), url


def test_every_asset_the_docs_pages_reference_is_served(client: TestClient) -> None:
    pages = {page: _docs_html(client, page) for page in DOCS_PAGES}
    urls = {urljoin(page, url) for page, html in pages.items() for url in linked_urls(html)}

    assert {url.rsplit("/", 1)[-1] for url in urls} == {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "redoc.standalone.js",
        "favicon.png",
        "openapi.json",
    }
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        suffix = url[url.rindex(".") :]
        assert response.headers["content-type"].startswith(CONTENT_TYPES[suffix]), url
        assert len(response.content) > 1000, url


def test_swagger_ui_wires_the_oauth2_redirect_page(client: TestClient) -> None:
    html = _docs_html(client, "/docs")
    redirect = client.get("/docs/oauth2-redirect")

    assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'" in html
    assert redirect.status_code == 200
    assert redirect.headers["content-type"].startswith("text/html")
    assert "swaggerUIRedirectOauth2" in redirect.text
    assert external_urls(redirect.text) == []


def test_swagger_ui_passes_init_oauth_like_fastapi_does(
    application: FastAPI, client: TestClient
) -> None:
    application.swagger_ui_init_oauth = {"clientId": "workbook"}

    html = _docs_html(client, "/docs")

    assert 'ui.initOAuth({"clientId": "workbook"})' in html


def test_docs_urls_follow_the_root_path(application: FastAPI) -> None:
    # Behind a proxy that serves the app under /api, the pages must ask for /api/... URLs.
    with TestClient(application, root_path="/api") as client:
        urls = [url for page in DOCS_PAGES for url in linked_urls(_docs_html(client, page))]
        swagger = _docs_html(client, "/docs")

    assert urls
    assert all(url.startswith("/api/") for url in urls), urls
    assert "window.location.origin + '/api/docs/oauth2-redirect'" in swagger


def test_docs_routes_stay_out_of_the_schema(application: FastAPI) -> None:
    paths = application.openapi()["paths"]

    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]
