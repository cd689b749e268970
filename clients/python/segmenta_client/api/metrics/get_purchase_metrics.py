from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.purchase_activity import PurchaseActivity
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    consent: None | str | Unset = UNSET,
    recency: None | str | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    store: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_consent: None | str | Unset
    if isinstance(consent, Unset):
        json_consent = UNSET
    else:
        json_consent = consent
    params["consent"] = json_consent

    json_recency: None | str | Unset
    if isinstance(recency, Unset):
        json_recency = UNSET
    else:
        json_recency = recency
    params["recency"] = json_recency

    json_channel: None | str | Unset
    if isinstance(channel, Unset):
        json_channel = UNSET
    else:
        json_channel = channel
    params["channel"] = json_channel

    json_store: None | str | Unset
    if isinstance(store, Unset):
        json_store = UNSET
    else:
        json_store = store
    params["store"] = json_store

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    json_segment: None | str | Unset
    if isinstance(segment, Unset):
        json_segment = UNSET
    else:
        json_segment = segment
    params["segment"] = json_segment

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/metrics/purchases",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | PurchaseActivity | None:
    if response.status_code == 200:
        response_200 = PurchaseActivity.from_dict(response.json())

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
) -> Response[Problem | PurchaseActivity]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    consent: None | str | Unset = UNSET,
    recency: None | str | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    store: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Response[Problem | PurchaseActivity]:
    """Purchases, buyers, revenue (refunds netted), AOV, items per purchase, discount and revenue
    per month of the orders that pass the filters.

    Args:
        consent (None | str | Unset):
        recency (None | str | Unset):
        channel (None | str | Unset):
        store (None | str | Unset):
        from_ (None | str | Unset):
        to (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurchaseActivity]
    """

    kwargs = _get_kwargs(
        consent=consent,
        recency=recency,
        channel=channel,
        store=store,
        from_=from_,
        to=to,
        segment=segment,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    consent: None | str | Unset = UNSET,
    recency: None | str | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    store: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Problem | PurchaseActivity | None:
    """Purchases, buyers, revenue (refunds netted), AOV, items per purchase, discount and revenue
    per month of the orders that pass the filters.

    Args:
        consent (None | str | Unset):
        recency (None | str | Unset):
        channel (None | str | Unset):
        store (None | str | Unset):
        from_ (None | str | Unset):
        to (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurchaseActivity
    """

    return sync_detailed(
        client=client,
        consent=consent,
        recency=recency,
        channel=channel,
        store=store,
        from_=from_,
        to=to,
        segment=segment,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    consent: None | str | Unset = UNSET,
    recency: None | str | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    store: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Response[Problem | PurchaseActivity]:
    """Purchases, buyers, revenue (refunds netted), AOV, items per purchase, discount and revenue
    per month of the orders that pass the filters.

    Args:
        consent (None | str | Unset):
        recency (None | str | Unset):
        channel (None | str | Unset):
        store (None | str | Unset):
        from_ (None | str | Unset):
        to (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurchaseActivity]
    """

    kwargs = _get_kwargs(
        consent=consent,
        recency=recency,
        channel=channel,
        store=store,
        from_=from_,
        to=to,
        segment=segment,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    consent: None | str | Unset = UNSET,
    recency: None | str | Unset = UNSET,
    channel: None | str | Unset = UNSET,
    store: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    segment: None | str | Unset = UNSET,
) -> Problem | PurchaseActivity | None:
    """Purchases, buyers, revenue (refunds netted), AOV, items per purchase, discount and revenue
    per month of the orders that pass the filters.

    Args:
        consent (None | str | Unset):
        recency (None | str | Unset):
        channel (None | str | Unset):
        store (None | str | Unset):
        from_ (None | str | Unset):
        to (None | str | Unset):
        segment (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurchaseActivity
    """

    return (
        await asyncio_detailed(
            client=client,
            consent=consent,
            recency=recency,
            channel=channel,
            store=store,
            from_=from_,
            to=to,
            segment=segment,
        )
    ).parsed
