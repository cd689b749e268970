from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.company_ref import CompanyRef
    from ..models.page_user_items_item_properties import PageUserItemsItemProperties
    from ..models.rfm_segment_ref import RfmSegmentRef


T = TypeVar("T", bound="PageUserItemsItem")


@_attrs_define
class PageUserItemsItem:
    """A user as listed and as the head of the 360 view.

    Attributes:
        id (int):
        external_id (str):
        properties (PageUserItemsItemProperties):
        purchases (int):
        revenue (float): All-time revenue (refunds netted), major units.
        email (None | str | Unset):
        name (None | str | Unset):
        company (CompanyRef | None | Unset):
        created_at (datetime.datetime | None | Unset):
        last_seen_at (datetime.datetime | None | Unset): Last product usage: latest event or login.
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
        first_purchase_at (datetime.datetime | None | Unset):
        last_purchase_at (datetime.datetime | None | Unset):
        rfm_segment (None | RfmSegmentRef | Unset):
        health_score (int | None | Unset):
        engagement_score (int | None | Unset):
        fit_score (int | None | Unset):
    """

    id: int
    external_id: str
    properties: PageUserItemsItemProperties
    purchases: int
    revenue: float
    email: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    company: CompanyRef | None | Unset = UNSET
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
    first_purchase_at: datetime.datetime | None | Unset = UNSET
    last_purchase_at: datetime.datetime | None | Unset = UNSET
    rfm_segment: None | RfmSegmentRef | Unset = UNSET
    health_score: int | None | Unset = UNSET
    engagement_score: int | None | Unset = UNSET
    fit_score: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.company_ref import CompanyRef  # noqa: PLC0415
        from ..models.rfm_segment_ref import RfmSegmentRef  # noqa: PLC0415

        id = self.id

        external_id = self.external_id

        properties = self.properties.to_dict()

        purchases = self.purchases

        revenue = self.revenue

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

        company: dict[str, Any] | None | Unset
        if isinstance(self.company, Unset):
            company = UNSET
        elif isinstance(self.company, CompanyRef):
            company = self.company.to_dict()
        else:
            company = self.company

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

        first_purchase_at: None | str | Unset
        if isinstance(self.first_purchase_at, Unset):
            first_purchase_at = UNSET
        elif isinstance(self.first_purchase_at, datetime.datetime):
            first_purchase_at = self.first_purchase_at.isoformat()
        else:
            first_purchase_at = self.first_purchase_at

        last_purchase_at: None | str | Unset
        if isinstance(self.last_purchase_at, Unset):
            last_purchase_at = UNSET
        elif isinstance(self.last_purchase_at, datetime.datetime):
            last_purchase_at = self.last_purchase_at.isoformat()
        else:
            last_purchase_at = self.last_purchase_at

        rfm_segment: dict[str, Any] | None | Unset
        if isinstance(self.rfm_segment, Unset):
            rfm_segment = UNSET
        elif isinstance(self.rfm_segment, RfmSegmentRef):
            rfm_segment = self.rfm_segment.to_dict()
        else:
            rfm_segment = self.rfm_segment

        health_score: int | None | Unset
        if isinstance(self.health_score, Unset):
            health_score = UNSET
        else:
            health_score = self.health_score

        engagement_score: int | None | Unset
        if isinstance(self.engagement_score, Unset):
            engagement_score = UNSET
        else:
            engagement_score = self.engagement_score

        fit_score: int | None | Unset
        if isinstance(self.fit_score, Unset):
            fit_score = UNSET
        else:
            fit_score = self.fit_score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "external_id": external_id,
                "properties": properties,
                "purchases": purchases,
                "revenue": revenue,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if company is not UNSET:
            field_dict["company"] = company
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
        if first_purchase_at is not UNSET:
            field_dict["first_purchase_at"] = first_purchase_at
        if last_purchase_at is not UNSET:
            field_dict["last_purchase_at"] = last_purchase_at
        if rfm_segment is not UNSET:
            field_dict["rfm_segment"] = rfm_segment
        if health_score is not UNSET:
            field_dict["health_score"] = health_score
        if engagement_score is not UNSET:
            field_dict["engagement_score"] = engagement_score
        if fit_score is not UNSET:
            field_dict["fit_score"] = fit_score

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.company_ref import CompanyRef  # noqa: PLC0415
        from ..models.page_user_items_item_properties import PageUserItemsItemProperties  # noqa: PLC0415
        from ..models.rfm_segment_ref import RfmSegmentRef  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        external_id = d.pop("external_id")

        properties = PageUserItemsItemProperties.from_dict(d.pop("properties"))

        purchases = d.pop("purchases")

        revenue = d.pop("revenue")

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

        def _parse_company(data: object) -> CompanyRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                company_type_1 = CompanyRef.from_dict(data)

                return company_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompanyRef | None | Unset, data)

        company = _parse_company(d.pop("company", UNSET))

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

        def _parse_first_purchase_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_purchase_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_purchase_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        first_purchase_at = _parse_first_purchase_at(d.pop("first_purchase_at", UNSET))

        def _parse_last_purchase_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_purchase_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_purchase_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_purchase_at = _parse_last_purchase_at(d.pop("last_purchase_at", UNSET))

        def _parse_rfm_segment(data: object) -> None | RfmSegmentRef | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rfm_segment_type_1 = RfmSegmentRef.from_dict(data)

                return rfm_segment_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RfmSegmentRef | Unset, data)

        rfm_segment = _parse_rfm_segment(d.pop("rfm_segment", UNSET))

        def _parse_health_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        health_score = _parse_health_score(d.pop("health_score", UNSET))

        def _parse_engagement_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        engagement_score = _parse_engagement_score(d.pop("engagement_score", UNSET))

        def _parse_fit_score(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        fit_score = _parse_fit_score(d.pop("fit_score", UNSET))

        page_user_items_item = cls(
            id=id,
            external_id=external_id,
            properties=properties,
            purchases=purchases,
            revenue=revenue,
            email=email,
            name=name,
            company=company,
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
            first_purchase_at=first_purchase_at,
            last_purchase_at=last_purchase_at,
            rfm_segment=rfm_segment,
            health_score=health_score,
            engagement_score=engagement_score,
            fit_score=fit_score,
        )

        page_user_items_item.additional_properties = d
        return page_user_items_item

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
