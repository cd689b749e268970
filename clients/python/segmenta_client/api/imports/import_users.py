from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_mode import ImportMode
from ...models.import_report import ImportReport
from ...models.problem import Problem
from ...models.user_row import UserRow
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: list[UserRow] | File | Unset = UNSET,
    mode: ImportMode | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_mode: None | str | Unset
    if isinstance(mode, Unset):
        json_mode = UNSET
    elif isinstance(mode, str):
        json_mode = mode
    else:
        json_mode = mode
    params["mode"] = json_mode

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/imports/users",
        "params": params,
    }

    if isinstance(body, list):
        _kwargs["json"] = []
        for body_item_data in body:
            body_item = body_item_data.to_dict()
            _kwargs["json"].append(body_item)

        headers["Content-Type"] = "application/json"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportReport | Problem | None:
    if response.status_code == 200:
        response_200 = ImportReport.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ImportReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: list[UserRow] | File | Unset = UNSET,
    mode: ImportMode | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ImportReport | Problem]:
    """Import users

     From CSV (`text/csv`, a header row naming the columns) or a JSON array of row objects
    (`application/json`). Rows are upserted by their key, so re-importing changes nothing. The body
    streams; its size is limited (413 beyond). The answer comes after the workspace is rescored and its
    segments refreshed (`scoring` says how that went).

    Args:
        mode (ImportMode | None | Unset):
        idempotency_key (str | Unset):
        body (list[UserRow]):
        body (File): A CSV file with a header row naming the columns of its kind.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportReport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        mode=mode,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: list[UserRow] | File | Unset = UNSET,
    mode: ImportMode | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ImportReport | Problem | None:
    """Import users

     From CSV (`text/csv`, a header row naming the columns) or a JSON array of row objects
    (`application/json`). Rows are upserted by their key, so re-importing changes nothing. The body
    streams; its size is limited (413 beyond). The answer comes after the workspace is rescored and its
    segments refreshed (`scoring` says how that went).

    Args:
        mode (ImportMode | None | Unset):
        idempotency_key (str | Unset):
        body (list[UserRow]):
        body (File): A CSV file with a header row naming the columns of its kind.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportReport | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        mode=mode,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: list[UserRow] | File | Unset = UNSET,
    mode: ImportMode | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ImportReport | Problem]:
    """Import users

     From CSV (`text/csv`, a header row naming the columns) or a JSON array of row objects
    (`application/json`). Rows are upserted by their key, so re-importing changes nothing. The body
    streams; its size is limited (413 beyond). The answer comes after the workspace is rescored and its
    segments refreshed (`scoring` says how that went).

    Args:
        mode (ImportMode | None | Unset):
        idempotency_key (str | Unset):
        body (list[UserRow]):
        body (File): A CSV file with a header row naming the columns of its kind.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportReport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        mode=mode,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: list[UserRow] | File | Unset = UNSET,
    mode: ImportMode | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ImportReport | Problem | None:
    """Import users

     From CSV (`text/csv`, a header row naming the columns) or a JSON array of row objects
    (`application/json`). Rows are upserted by their key, so re-importing changes nothing. The body
    streams; its size is limited (413 beyond). The answer comes after the workspace is rescored and its
    segments refreshed (`scoring` says how that went).

    Args:
        mode (ImportMode | None | Unset):
        idempotency_key (str | Unset):
        body (list[UserRow]):
        body (File): A CSV file with a header row naming the columns of its kind.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            mode=mode,
            idempotency_key=idempotency_key,
        )
    ).parsed
