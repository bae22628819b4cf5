"""API fuzzing from the OpenAPI document (hypothesis-jsonschema): for every operation, bodies
drawn from its request schema and hostile path values (huge numbers, odd strings) never get a 5xx,
and every 2xx answer matches the response schema the document promises. Kept CI-sized: a few
examples per operation, SQLite only."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from sqlalchemy import Engine
from sqlmodel import Session

from planner.security.accounts import find_account
from planner.security.tokens import create_api_token
from tests.web.conftest import PASSWORD
from tests.web.test_grid import small_week
from web.app import create_app

PATH_VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["1", "0", "a0001", "r001", "c001", "%2e%2e", "a%2Fb", "💥", "9" * 30]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12),
)


@pytest.fixture
def engine(tmp_path: Any) -> Any:
    from tests.databases import backend_engine

    yield from _with_accounts(backend_engine("sqlite", tmp_path))


def _with_accounts(engines: Any) -> Any:
    from sqlmodel import Session

    from planner.security.accounts import create_account

    for engine in engines:
        with Session(engine) as session:
            create_account("koord", PASSWORD, session=session)
        yield engine


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    doc = app.openapi()
    out = []
    for path, methods in sorted(doc["paths"].items()):
        for method, op in sorted(methods.items()):
            out.append((method.upper(), path, op, doc))
    return out


def with_components(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "components": doc.get("components", {})}


def request_body(op: dict[str, Any], doc: dict[str, Any]) -> st.SearchStrategy[Any]:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return st.none()
    schema = with_components(content["schema"], doc)
    if schema.get("type") == "object" and not schema.get("properties"):  # a scenario/1 document
        return st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8),
                               max_size=4)  # fmt: skip
    return object_of(schema, doc)


def object_of(schema: dict[str, Any], doc: dict[str, Any]) -> st.SearchStrategy[Any]:
    """An object schema's documents: each property drawn from its own schema (this
    hypothesis-jsonschema draws objects with an API newer hypothesis versions lack)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = doc["components"]["schemas"][name]
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    drawn = {k: property_of(v, doc) for k, v in properties.items()}
    return (
        st.fixed_dictionaries(
            {k: v for k, v in drawn.items() if k in required},
            optional={k: v for k, v in drawn.items() if k not in required},
        )
        | st.none()
    )


def property_of(schema: dict[str, Any], doc: dict[str, Any]) -> st.SearchStrategy[Any]:
    """One property's values; a nested object (a scenario/1 citizen or referral) is drawn as a
    small dictionary, as a whole scenario/1 document is."""
    if schema.get("type") == "object" or "additionalProperties" in schema:
        return st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8),
                               max_size=4)  # fmt: skip
    return from_schema(with_components(schema, doc))


def fuzz(
    client: TestClient, method: str, path: str, op: dict[str, Any], doc: dict[str, Any]
) -> None:
    """Attack one operation with drawn path values and bodies."""
    params = re.findall(r"{(\w+)}", path)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(values=st.fixed_dictionaries({p: PATH_VALUES for p in params}),
           body=request_body(op, doc))  # fmt: skip
    def attack(values: dict[str, str], body: Any) -> None:
        url = path
        for name, value in values.items():
            url = url.replace(f"{{{name}}}", quote(value, safe=""))
        if isinstance(body, dict) and isinstance(body.get("time_limit"), int | float):
            body["time_limit"] = min(body["time_limit"], 1)  # a real solve, but a short one
        answer = client.request(method, url, json=body)
        assert answer.status_code < 500, (method, url, body, answer.text[:300])
        responses = op.get("responses", {}).get(str(answer.status_code), {})
        schema = responses.get("content", {}).get("application/json", {}).get("schema")
        if 200 <= answer.status_code < 300 and schema:
            jsonschema.validate(answer.json(), with_components(schema, doc))

    attack()


@pytest.mark.slow  # hundreds of generated requests
def test_fuzzing_the_api_gives_no_5xx_and_no_schema_violation(engine: Engine) -> None:
    app = create_app(engine, secret_key="test-secret", background_jobs=False)
    small_week(engine)
    with Session(engine) as session:
        account = find_account("koord", session=session)
        assert account is not None
        _, token = create_api_token(account, "fuzz", session=session)
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {token}"
    attacked = [fuzz(client, *operation) for operation in operations(app)]

    assert len(attacked) == sum(len(methods) for methods in app.openapi()["paths"].values())
