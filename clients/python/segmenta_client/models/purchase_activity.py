from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.month_revenue import MonthRevenue


T = TypeVar("T", bound="PurchaseActivity")


@_attrs_define
class PurchaseActivity:
    """`GET /metrics/purchases`: the orders that pass the filters.

    Attributes:
        purchases (int): Orders with an amount > 0.
        buyers (int): Users with at least one purchase.
        revenue (float): Sum of all amounts, refunds netted.
        refunds (int):
        refunded (float): Sum of the refunds (negative).
        discount (float): Gross − paid over the purchases that have a gross amount.
        revenue_by_month (list[MonthRevenue]): Months with orders, ascending.
        purchases_label (str): Labels for the workspace kind: `purchases` is "Orders" or "Donations".
        aov_label (str):
        aov (float | None | Unset): Revenue per purchase.
        items_per_purchase (float | None | Unset): Items per purchase, over the purchases that have a quantity.
        discount_rate (float | None | Unset): Discount ÷ gross of those purchases.
    """

    purchases: int
    buyers: int
    revenue: float
    refunds: int
    refunded: float
    discount: float
    revenue_by_month: list[MonthRevenue]
    purchases_label: str
    aov_label: str
    aov: float | None | Unset = UNSET
    items_per_purchase: float | None | Unset = UNSET
    discount_rate: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        purchases = self.purchases

        buyers = self.buyers

        revenue = self.revenue

        refunds = self.refunds

        refunded = self.refunded

        discount = self.discount

        revenue_by_month = []
        for revenue_by_month_item_data in self.revenue_by_month:
            revenue_by_month_item = revenue_by_month_item_data.to_dict()
            revenue_by_month.append(revenue_by_month_item)

        purchases_label = self.purchases_label

        aov_label = self.aov_label

        aov: float | None | Unset
        if isinstance(self.aov, Unset):
            aov = UNSET
        else:
            aov = self.aov

        items_per_purchase: float | None | Unset
        if isinstance(self.items_per_purchase, Unset):
            items_per_purchase = UNSET
        else:
            items_per_purchase = self.items_per_purchase

        discount_rate: float | None | Unset
        if isinstance(self.discount_rate, Unset):
            discount_rate = UNSET
        else:
            discount_rate = self.discount_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "purchases": purchases,
                "buyers": buyers,
                "revenue": revenue,
                "refunds": refunds,
                "refunded": refunded,
                "discount": discount,
                "revenue_by_month": revenue_by_month,
                "purchases_label": purchases_label,
                "aov_label": aov_label,
            }
        )
        if aov is not UNSET:
            field_dict["aov"] = aov
        if items_per_purchase is not UNSET:
            field_dict["items_per_purchase"] = items_per_purchase
        if discount_rate is not UNSET:
            field_dict["discount_rate"] = discount_rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.month_revenue import MonthRevenue  # noqa: PLC0415

        d = dict(src_dict)
        purchases = d.pop("purchases")

        buyers = d.pop("buyers")

        revenue = d.pop("revenue")

        refunds = d.pop("refunds")

        refunded = d.pop("refunded")

        discount = d.pop("discount")

        revenue_by_month = []
        _revenue_by_month = d.pop("revenue_by_month")
        for revenue_by_month_item_data in _revenue_by_month:
            revenue_by_month_item = MonthRevenue.from_dict(revenue_by_month_item_data)

            revenue_by_month.append(revenue_by_month_item)

        purchases_label = d.pop("purchases_label")

        aov_label = d.pop("aov_label")

        def _parse_aov(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        aov = _parse_aov(d.pop("aov", UNSET))

        def _parse_items_per_purchase(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        items_per_purchase = _parse_items_per_purchase(d.pop("items_per_purchase", UNSET))

        def _parse_discount_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        discount_rate = _parse_discount_rate(d.pop("discount_rate", UNSET))

        purchase_activity = cls(
            purchases=purchases,
            buyers=buyers,
            revenue=revenue,
            refunds=refunds,
            refunded=refunded,
            discount=discount,
            revenue_by_month=revenue_by_month,
            purchases_label=purchases_label,
            aov_label=aov_label,
            aov=aov,
            items_per_purchase=items_per_purchase,
            discount_rate=discount_rate,
        )

        purchase_activity.additional_properties = d
        return purchase_activity

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
