from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_company import PageCompany
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    total: bool | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_sort: None | str | Unset
    if isinstance(sort, Unset):
        json_sort = UNSET
    else:
        json_sort = sort
    params["sort"] = json_sort

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_total: bool | None | Unset
    if isinstance(total, Unset):
        json_total = UNSET
    else:
        json_total = total
    params["total"] = json_total

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/companies",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageCompany | Problem | None:
    if response.status_code == 200:
        response_200 = PageCompany.from_dict(response.json())

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
) -> Response[PageCompany | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    total: bool | None | Unset = UNSET,
) -> Response[PageCompany | Problem]:
    """Companies of the workspace with their number of users: search, sort, cursor pagination.
    `total` as for users.

    Args:
        q (None | str | Unset):
        sort (None | str | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):
        total (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCompany | Problem]
    """

    kwargs = _get_kwargs(
        q=q,
        sort=sort,
        cursor=cursor,
        limit=limit,
        total=total,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    total: bool | None | Unset = UNSET,
) -> PageCompany | Problem | None:
    """Companies of the workspace with their number of users: search, sort, cursor pagination.
    `total` as for users.

    Args:
        q (None | str | Unset):
        sort (None | str | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):
        total (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCompany | Problem
    """

    return sync_detailed(
        client=client,
        q=q,
        sort=sort,
        cursor=cursor,
        limit=limit,
        total=total,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    total: bool | None | Unset = UNSET,
) -> Response[PageCompany | Problem]:
    """Companies of the workspace with their number of users: search, sort, cursor pagination.
    `total` as for users.

    Args:
        q (None | str | Unset):
        sort (None | str | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):
        total (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCompany | Problem]
    """

    kwargs = _get_kwargs(
        q=q,
        sort=sort,
        cursor=cursor,
        limit=limit,
        total=total,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    q: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    total: bool | None | Unset = UNSET,
) -> PageCompany | Problem | None:
    """Companies of the workspace with their number of users: search, sort, cursor pagination.
    `total` as for users.

    Args:
        q (None | str | Unset):
        sort (None | str | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):
        total (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCompany | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            sort=sort,
            cursor=cursor,
            limit=limit,
            total=total,
        )
    ).parsed
