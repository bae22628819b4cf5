"""Calendar feeds: the subscription links themselves (no sign-in, a secret token in the URL) and
the coordinator's page listing a week's feeds with their links, to copy, revoke or renew.
"""

from __future__ import annotations

import os
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from planner.db.models import FEED_KINDS, Scenario
from planner.outputs.feeds import (
    Feed,
    feed_names,
    read_feed,
    renew_feed,
    revoke_feed,
    utc,
    week_feeds,
)
from planner.plan.versions import current_plan, scenario_plans
from web.access import logged, logged_week
from web.deps import CoordinatorDep, SessionDep, check_csrf, found
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

CALENDAR = "text/calendar; charset=utf-8"
NOT_FOUND = "Kalenderen findes ikke, eller linket er spærret."


def feed_secret(request: Request) -> str:
    """The app's secret, from which feed links are derived (`planner feed-url` reads the same
    one: `PLANNER_SECRET_KEY` or `.planner-secret`)."""
    return str(request.app.state.secret)


SecretDep = Annotated[str, Depends(feed_secret)]


@router.api_route("/feeds/{kind}/{key}/{token}.ics", methods=["GET", "HEAD"])
def calendar_feed(
    request: Request, kind: str, key: str, token: str, session: SessionDep
) -> Response:
    """A subscribed calendar fetching its feed; a wrong or revoked link gets the same 404."""
    feed = read_feed(kind, key, token, session=session)
    if feed is None:
        return Response(NOT_FOUND, status_code=404, media_type="text/plain; charset=utf-8")
    logged(request, "feed", "read", feed.citizens, session)  # a citizen's own, a therapist's
    headers = cache_headers(feed)
    if unchanged(request, feed):
        return Response(status_code=304, headers=headers)
    return Response(feed.body, media_type=CALENDAR, headers=headers)


def cache_headers(feed: Feed) -> dict[str, str]:
    """Revalidate every time (health data: private), cheaply with the strong ETag."""
    headers = {"ETag": feed.etag, "Cache-Control": "private, no-cache"}
    if feed.last_modified is not None:
        headers["Last-Modified"] = format_datetime(feed.last_modified, usegmt=True)
    return headers


def unchanged(request: Request, feed: Feed) -> bool:
    """The client's copy is current: If-None-Match names our ETag, else If-Modified-Since."""
    tags = request.headers.get("if-none-match")
    if tags is not None:
        sent = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in sent or feed.etag in sent
    since = request.headers.get("if-modified-since")
    if since is None or feed.last_modified is None:
        return False
    try:
        return feed.last_modified.replace(microsecond=0) <= utc(parsedate_to_datetime(since))
    except (TypeError, ValueError):
        return False


def base_url(request: Request) -> str:
    """Where subscribers reach this server: https behind TLS (PLANNER_HTTPS=1 says so)."""
    scheme = "https" if os.environ.get("PLANNER_HTTPS") == "1" else request.url.scheme
    return f"{scheme}://{request.url.netloc}"


@router.get("/weeks/{scenario_id}/feeds")
def feed_page(
    request: Request,
    scenario_id: int,
    account: CoordinatorDep,
    session: SessionDep,
    secret: SecretDep,
) -> Response:
    """The week's calendar feeds: links to copy for its therapists, rooms, centres and citizens."""
    scenario = found(session, Scenario, scenario_id)
    logged_week(request, account, scenario_id, session)  # every citizen by name
    context = {
        "scenario": scenario,
        "plan": current_plan(scenario_id, session=session),
        "published": any(
            p.status == "published" for p in scenario_plans(scenario_id, session=session)
        ),
        "groups": week_feeds(scenario_id, base_url(request), session=session, secret=secret),
    }
    return render(request, "feeds/week.html", context)


def known_feed(session: SessionDep, scenario_id: int, kind: str, key: str) -> None:
    """Only the feeds of this week's therapists, rooms, centres, classes and citizens."""
    found(session, Scenario, scenario_id)
    if kind not in FEED_KINDS or key not in feed_names(scenario_id, session)[kind]:
        raise HTTPException(404)


@router.post("/weeks/{scenario_id}/feeds/{kind}/{key}/revoke")
def revoke(
    scenario_id: int, kind: str, key: str, _: CoordinatorDep, session: SessionDep, secret: SecretDep
) -> Response:
    """Stop a feed's link (e.g. a phone was lost); calendars using it get nothing more."""
    known_feed(session, scenario_id, kind, key)
    revoke_feed(kind, key, session=session, secret=secret)
    return back_to(scenario_id, kind, key)


@router.post("/weeks/{scenario_id}/feeds/{kind}/{key}/renew")
def renew(
    scenario_id: int, kind: str, key: str, _: CoordinatorDep, session: SessionDep, secret: SecretDep
) -> Response:
    """A new link for the feed; the old one stops working."""
    known_feed(session, scenario_id, kind, key)
    renew_feed(kind, key, session=session, secret=secret)
    return back_to(scenario_id, kind, key)


def back_to(scenario_id: int, kind: str, key: str) -> Response:
    target = f"/weeks/{scenario_id}/feeds#feed-{kind}-{quote(key, safe='')}"
    return RedirectResponse(target, status_code=303)
