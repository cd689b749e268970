from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    filter_: int | None | Unset = UNSET,
    conditions: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_filter_: int | None | Unset
    if isinstance(filter_, Unset):
        json_filter_ = UNSET
    else:
        json_filter_ = filter_
    params["filter"] = json_filter_

    json_conditions: None | str | Unset
    if isinstance(conditions, Unset):
        json_conditions = UNSET
    else:
        json_conditions = conditions
    params["conditions"] = json_conditions

    json_segment: None | str | Unset
    if isinstance(segment, Unset):
        json_segment = UNSET
    else:
        json_segment = segment
    params["segment"] = json_segment

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/users/export.csv",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    as_of: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    filter_: int | None | Unset = UNSET,
    conditions: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Response[Problem | str]:
    """Users as CSV with RFM as of `as_of` (`recency_days`, `frequency`, `monetary` in major
    units, `r_score`, `f_score`, `m_score`, `fm_score`, `rfm_segment` key; empty when the user
    has no purchase in range) and the current health, engagement and fit scores. One row per
    user the Users list shows for the same `q`, `filter`, `conditions` and `segment` (all
    users of the workspace without them; churned members of a segment too), by id. Text cells
    that a spreadsheet would run as a formula are prefixed with `'`.

    Args:
        as_of (None | str | Unset):
        q (None | str | Unset):
        filter_ (int | None | Unset):
        conditions (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        q=q,
        filter_=filter_,
        conditions=conditions,
        segment=segment,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    as_of: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    filter_: int | None | Unset = UNSET,
    conditions: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Problem | str | None:
    """Users as CSV with RFM as of `as_of` (`recency_days`, `frequency`, `monetary` in major
    units, `r_score`, `f_score`, `m_score`, `fm_score`, `rfm_segment` key; empty when the user
    has no purchase in range) and the current health, engagement and fit scores. One row per
    user the Users list shows for the same `q`, `filter`, `conditions` and `segment` (all
    users of the workspace without them; churned members of a segment too), by id. Text cells
    that a spreadsheet would run as a formula are prefixed with `'`.

    Args:
        as_of (None | str | Unset):
        q (None | str | Unset):
        filter_ (int | None | Unset):
        conditions (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        q=q,
        filter_=filter_,
        conditions=conditions,
        segment=segment,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    filter_: int | None | Unset = UNSET,
    conditions: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Response[Problem | str]:
    """Users as CSV with RFM as of `as_of` (`recency_days`, `frequency`, `monetary` in major
    units, `r_score`, `f_score`, `m_score`, `fm_score`, `rfm_segment` key; empty when the user
    has no purchase in range) and the current health, engagement and fit scores. One row per
    user the Users list shows for the same `q`, `filter`, `conditions` and `segment` (all
    users of the workspace without them; churned members of a segment too), by id. Text cells
    that a spreadsheet would run as a formula are prefixed with `'`.

    Args:
        as_of (None | str | Unset):
        q (None | str | Unset):
        filter_ (int | None | Unset):
        conditions (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        q=q,
        filter_=filter_,
        conditions=conditions,
        segment=segment,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    filter_: int | None | Unset = UNSET,
    conditions: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Problem | str | None:
    """Users as CSV with RFM as of `as_of` (`recency_days`, `frequency`, `monetary` in major
    units, `r_score`, `f_score`, `m_score`, `fm_score`, `rfm_segment` key; empty when the user
    has no purchase in range) and the current health, engagement and fit scores. One row per
    user the Users list shows for the same `q`, `filter`, `conditions` and `segment` (all
    users of the workspace without them; churned members of a segment too), by id. Text cells
    that a spreadsheet would run as a formula are prefixed with `'`.

    Args:
        as_of (None | str | Unset):
        q (None | str | Unset):
        filter_ (int | None | Unset):
        conditions (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            q=q,
            filter_=filter_,
            conditions=conditions,
            segment=segment,
        )
    ).parsed
