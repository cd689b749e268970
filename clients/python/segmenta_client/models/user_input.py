from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_input_properties_type_0 import UserInputPropertiesType0


T = TypeVar("T", bound="UserInput")


@_attrs_define
class UserInput:
    """Create or update a user; absent fields are left as they are on update.

    Example:
        {'company_id': 'c-17', 'country': 'GB', 'email': 'ada@example.com', 'email_consent': True, 'external_id':
            'u-1001', 'name': 'Ada Lovelace', 'properties': {'plan_tier': 'gold'}}

    Attributes:
        external_id (None | str | Unset):
        email (None | str | Unset):
        name (None | str | Unset):
        company_id (None | str | Unset): External id of the company (created bare when unknown).
        created_at (datetime.datetime | None | Unset):
        last_seen_at (datetime.datetime | None | Unset):
        churned_at (datetime.datetime | None | Unset):
        role (None | str | Unset):
        country (None | str | Unset):
        phone (None | str | Unset):
        acquisition_channel (None | str | Unset):
        client_type (None | str | Unset):
        payment_type (None | str | Unset):
        invoice_period (None | str | Unset):
        complaint_reason (None | str | Unset):
        email_consent (bool | None | Unset):
        sms_consent (bool | None | Unset):
        properties (None | Unset | UserInputPropertiesType0):
    """

    external_id: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    last_seen_at: datetime.datetime | None | Unset = UNSET
    churned_at: datetime.datetime | None | Unset = UNSET
    role: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    acquisition_channel: None | str | Unset = UNSET
    client_type: None | str | Unset = UNSET
    payment_type: None | str | Unset = UNSET
    invoice_period: None | str | Unset = UNSET
    complaint_reason: None | str | Unset = UNSET
    email_consent: bool | None | Unset = UNSET
    sms_consent: bool | None | Unset = UNSET
    properties: None | Unset | UserInputPropertiesType0 = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.user_input_properties_type_0 import UserInputPropertiesType0  # noqa: PLC0415

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        last_seen_at: None | str | Unset
        if isinstance(self.last_seen_at, Unset):
            last_seen_at = UNSET
        elif isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at

        churned_at: None | str | Unset
        if isinstance(self.churned_at, Unset):
            churned_at = UNSET
        elif isinstance(self.churned_at, datetime.datetime):
            churned_at = self.churned_at.isoformat()
        else:
            churned_at = self.churned_at

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        acquisition_channel: None | str | Unset
        if isinstance(self.acquisition_channel, Unset):
            acquisition_channel = UNSET
        else:
            acquisition_channel = self.acquisition_channel

        client_type: None | str | Unset
        if isinstance(self.client_type, Unset):
            client_type = UNSET
        else:
            client_type = self.client_type

        payment_type: None | str | Unset
        if isinstance(self.payment_type, Unset):
            payment_type = UNSET
        else:
            payment_type = self.payment_type

        invoice_period: None | str | Unset
        if isinstance(self.invoice_period, Unset):
            invoice_period = UNSET
        else:
            invoice_period = self.invoice_period

        complaint_reason: None | str | Unset
        if isinstance(self.complaint_reason, Unset):
            complaint_reason = UNSET
        else:
            complaint_reason = self.complaint_reason

        email_consent: bool | None | Unset
        if isinstance(self.email_consent, Unset):
            email_consent = UNSET
        else:
            email_consent = self.email_consent

        sms_consent: bool | None | Unset
        if isinstance(self.sms_consent, Unset):
            sms_consent = UNSET
        else:
            sms_consent = self.sms_consent

        properties: dict[str, Any] | None | Unset
        if isinstance(self.properties, Unset):
            properties = UNSET
        elif isinstance(self.properties, UserInputPropertiesType0):
            properties = self.properties.to_dict()
        else:
            properties = self.properties

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if last_seen_at is not UNSET:
            field_dict["last_seen_at"] = last_seen_at
        if churned_at is not UNSET:
            field_dict["churned_at"] = churned_at
        if role is not UNSET:
            field_dict["role"] = role
        if country is not UNSET:
            field_dict["country"] = country
        if phone is not UNSET:
            field_dict["phone"] = phone
        if acquisition_channel is not UNSET:
            field_dict["acquisition_channel"] = acquisition_channel
        if client_type is not UNSET:
            field_dict["client_type"] = client_type
        if payment_type is not UNSET:
            field_dict["payment_type"] = payment_type
        if invoice_period is not UNSET:
            field_dict["invoice_period"] = invoice_period
        if complaint_reason is not UNSET:
            field_dict["complaint_reason"] = complaint_reason
        if email_consent is not UNSET:
            field_dict["email_consent"] = email_consent
        if sms_consent is not UNSET:
            field_dict["sms_consent"] = sms_consent
        if properties is not UNSET:
            field_dict["properties"] = properties

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_input_properties_type_0 import UserInputPropertiesType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_company_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("company_id", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        def _parse_last_seen_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_seen_at = _parse_last_seen_at(d.pop("last_seen_at", UNSET))

        def _parse_churned_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                churned_at_type_0 = datetime.datetime.fromisoformat(data)

                return churned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        churned_at = _parse_churned_at(d.pop("churned_at", UNSET))

        def _parse_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_acquisition_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        acquisition_channel = _parse_acquisition_channel(d.pop("acquisition_channel", UNSET))

        def _parse_client_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_type = _parse_client_type(d.pop("client_type", UNSET))

        def _parse_payment_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_type = _parse_payment_type(d.pop("payment_type", UNSET))

        def _parse_invoice_period(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice_period = _parse_invoice_period(d.pop("invoice_period", UNSET))

        def _parse_complaint_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        complaint_reason = _parse_complaint_reason(d.pop("complaint_reason", UNSET))

        def _parse_email_consent(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        email_consent = _parse_email_consent(d.pop("email_consent", UNSET))

        def _parse_sms_consent(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        sms_consent = _parse_sms_consent(d.pop("sms_consent", UNSET))

        def _parse_properties(data: object) -> None | Unset | UserInputPropertiesType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                properties_type_0 = UserInputPropertiesType0.from_dict(data)

                return properties_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserInputPropertiesType0, data)

        properties = _parse_properties(d.pop("properties", UNSET))

        user_input = cls(
            external_id=external_id,
            email=email,
            name=name,
            company_id=company_id,
            created_at=created_at,
            last_seen_at=last_seen_at,
            churned_at=churned_at,
            role=role,
            country=country,
            phone=phone,
            acquisition_channel=acquisition_channel,
            client_type=client_type,
            payment_type=payment_type,
            invoice_period=invoice_period,
            complaint_reason=complaint_reason,
            email_consent=email_consent,
            sms_consent=sms_consent,
            properties=properties,
        )

        user_input.additional_properties = d
        return user_input

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
