from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.settings import Settings
from ...models.settings_input import SettingsInput
from ...types import Response


def _get_kwargs(
    *,
    body: SettingsInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/settings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Settings | None:
    if response.status_code == 200:
        response_200 = Settings.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Settings]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SettingsInput,
) -> Response[Problem | Settings]:
    """Change the kind (`orders`/`donations`), activity window, RFM look-back window or RFM
    scoring (admins). Absent fields stay; the workspace is rescored.

    Args:
        body (SettingsInput): `PUT /settings`: absent fields stay as they are; `rfm_window_days:
            null` removes the
            window. Every change rescores the workspace. Example: {'activity_window_days': 30, 'kind':
            'orders', 'rfm_scoring': {'method': 'ranked'}, 'rfm_window_days': 730}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Settings]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SettingsInput,
) -> Problem | Settings | None:
    """Change the kind (`orders`/`donations`), activity window, RFM look-back window or RFM
    scoring (admins). Absent fields stay; the workspace is rescored.

    Args:
        body (SettingsInput): `PUT /settings`: absent fields stay as they are; `rfm_window_days:
            null` removes the
            window. Every change rescores the workspace. Example: {'activity_window_days': 30, 'kind':
            'orders', 'rfm_scoring': {'method': 'ranked'}, 'rfm_window_days': 730}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Settings
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SettingsInput,
) -> Response[Problem | Settings]:
    """Change the kind (`orders`/`donations`), activity window, RFM look-back window or RFM
    scoring (admins). Absent fields stay; the workspace is rescored.

    Args:
        body (SettingsInput): `PUT /settings`: absent fields stay as they are; `rfm_window_days:
            null` removes the
            window. Every change rescores the workspace. Example: {'activity_window_days': 30, 'kind':
            'orders', 'rfm_scoring': {'method': 'ranked'}, 'rfm_window_days': 730}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Settings]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SettingsInput,
) -> Problem | Settings | None:
    """Change the kind (`orders`/`donations`), activity window, RFM look-back window or RFM
    scoring (admins). Absent fields stay; the workspace is rescored.

    Args:
        body (SettingsInput): `PUT /settings`: absent fields stay as they are; `rfm_window_days:
            null` removes the
            window. Every change rescores the workspace. Example: {'activity_window_days': 30, 'kind':
            'orders', 'rfm_scoring': {'method': 'ranked'}, 'rfm_window_days': 730}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Settings
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
