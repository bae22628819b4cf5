"""Signing in: argon2-checked passwords, signed session cookies, CSRF on every post."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, Web


def test_every_page_but_login_needs_a_signed_in_account(anonymous: Web) -> None:
    for path in ("/", "/weeks", "/weeks/1", "/weeks/1/plans", "/jobs/1", "/me"):
        response = anonymous.client.get(path, follow_redirects=False)
        assert (path, response.status_code) == (path, 303)
        assert response.headers["location"] == f"/login?next={path}"


def test_login_redirect_keeps_the_query_of_the_page_asked_for(anonymous: Web) -> None:
    response = anonymous.client.get("/weeks/1?plan=2&centre=auning", follow_redirects=False)

    assert response.headers["location"] == "/login?next=/weeks/1%3Fplan%3D2%26centre%3Dauning"


def test_htmx_request_without_session_redirects_the_whole_page(anonymous: Web) -> None:
    response = anonymous.client.get("/weeks", headers={"HX-Request": "true"})

    assert (response.status_code, response.headers["HX-Redirect"]) == (204, "/login?next=/weeks")


def test_login_page_is_danish_and_labelled(anonymous: Web) -> None:
    page = anonymous.get("/login").text

    assert '<html lang="da">' in page
    assert '<label for="username">Brugernavn</label>' in page
    assert '<label for="password">Adgangskode</label>' in page


def test_sign_in_with_the_right_password_opens_the_app(anonymous: Web) -> None:
    anonymous.get("/login?next=/weeks")
    response = anonymous.post(
        "/login", {"username": "koord", "password": PASSWORD, "next": "/weeks"}
    )

    assert (response.status_code, response.url.path) == (200, "/weeks")
    assert "Karen Koordinator" in response.text


def test_sign_in_with_a_wrong_password_says_so_and_stays_out(anonymous: Web) -> None:
    anonymous.get("/login")
    response = anonymous.post("/login", {"username": "koord", "password": "forkert-forkert"})

    assert response.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in response.text
    assert anonymous.client.get("/weeks", follow_redirects=False).status_code == 303


def test_sign_in_never_redirects_to_another_site(anonymous: Web) -> None:
    anonymous.get("/login")
    response = anonymous.client.post(
        "/login",
        data={"username": "koord", "password": PASSWORD, "next": "//evil.example/",
              "csrf_token": anonymous.csrf},
        follow_redirects=False,
    )  # fmt: skip

    assert response.headers["location"] == "/"


def test_post_without_csrf_token_is_refused(coordinator: Web) -> None:
    response = coordinator.client.post("/logout", data={})

    assert response.status_code == 403
    assert "Formularen er udløbet" in response.text


def test_post_with_a_wrong_csrf_token_is_refused(coordinator: Web) -> None:
    response = coordinator.client.post("/logout", data={"csrf_token": "gættet"})

    assert response.status_code == 403


def test_login_post_needs_the_csrf_token_too(anonymous: Web) -> None:
    anonymous.get("/login")
    response = anonymous.client.post("/login", data={"username": "koord", "password": PASSWORD})

    assert response.status_code == 403


def test_sign_out_ends_the_session(coordinator: Web) -> None:
    coordinator.get("/weeks")
    coordinator.post("/logout")

    assert coordinator.client.get("/weeks", follow_redirects=False).status_code == 303


def test_session_cookie_is_signed_httponly_and_samesite(anonymous: Web) -> None:
    anonymous.get("/login")
    response = anonymous.client.post(
        "/login",
        data={"username": "koord", "password": PASSWORD, "csrf_token": anonymous.csrf},
        follow_redirects=False,
    )

    cookie = response.headers["set-cookie"]
    assert cookie.startswith("planner_session=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_a_tampered_session_cookie_is_not_trusted(coordinator: Web) -> None:
    value = coordinator.client.cookies["planner_session"]
    coordinator.client.cookies.clear()
    coordinator.client.cookies.set("planner_session", value[:-3] + "abc")

    assert coordinator.client.get("/weeks", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", ["/weeks", "/weeks/1/plans"])
def test_therapist_cannot_open_coordinator_pages(therapist: Web, path: str) -> None:
    assert therapist.client.get(path).status_code in (403, 404)
    assert therapist.client.get("/weeks").status_code == 403


def test_language_switch_to_english_and_back(coordinator: Web) -> None:
    english = coordinator.get("/sprog/en?next=/weeks").text
    assert '<html lang="en">' in english and "<h1>Weeks</h1>" in english

    danish = coordinator.get("/sprog/da?next=/weeks").text
    assert '<html lang="da">' in danish and "<h1>Uger</h1>" in danish
