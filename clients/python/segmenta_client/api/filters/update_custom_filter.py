from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.custom_filter import CustomFilter
from ...models.custom_filter_input import CustomFilterInput
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id: int,
    *,
    body: CustomFilterInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/filters/custom/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomFilter | Problem | None:
    if response.status_code == 200:
        response_200 = CustomFilter.from_dict(response.json())

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
) -> Response[CustomFilter | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: CustomFilterInput,
) -> Response[CustomFilter | Problem]:
    """Rename a custom filter or replace its tree (absent fields stay).

    Args:
        id (int):
        body (CustomFilterInput): Create (name and conditions required) or change (absent fields
            stay) a custom filter. Example: {'conditions': {'conditions': [{'field': 'user.country',
            'op': 'eq', 'value': 'DE'}], 'match': 'all'}, 'name': 'German customers'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomFilter | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    body: CustomFilterInput,
) -> CustomFilter | Problem | None:
    """Rename a custom filter or replace its tree (absent fields stay).

    Args:
        id (int):
        body (CustomFilterInput): Create (name and conditions required) or change (absent fields
            stay) a custom filter. Example: {'conditions': {'conditions': [{'field': 'user.country',
            'op': 'eq', 'value': 'DE'}], 'match': 'all'}, 'name': 'German customers'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomFilter | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: CustomFilterInput,
) -> Response[CustomFilter | Problem]:
    """Rename a custom filter or replace its tree (absent fields stay).

    Args:
        id (int):
        body (CustomFilterInput): Create (name and conditions required) or change (absent fields
            stay) a custom filter. Example: {'conditions': {'conditions': [{'field': 'user.country',
            'op': 'eq', 'value': 'DE'}], 'match': 'all'}, 'name': 'German customers'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomFilter | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    body: CustomFilterInput,
) -> CustomFilter | Problem | None:
    """Rename a custom filter or replace its tree (absent fields stay).

    Args:
        id (int):
        body (CustomFilterInput): Create (name and conditions required) or change (absent fields
            stay) a custom filter. Example: {'conditions': {'conditions': [{'field': 'user.country',
            'op': 'eq', 'value': 'DE'}], 'match': 'all'}, 'name': 'German customers'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomFilter | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
