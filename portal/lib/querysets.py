"""Querysets scoped to a signed-in user: the only way portal code reaches a customer's data.

`UserOwnedQuerySet.for_user(user)` keeps the rows that `user` may see, following `user_path`
from the model to the owning user (for billing rows through the customer's links:
`customer__links__user`); anyone anonymous gets nothing. `owned_by(path)` makes the subclass
a model uses as its manager.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


class UserOwnedQuerySet(models.QuerySet):
    user_path = "user"
    distinct_for_user = False  # set where the path crosses a to-many relation twice

    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        scoped = self.filter(**{self.user_path: user})
        return scoped.distinct() if self.distinct_for_user else scoped


def owned_by(path: str, *, distinct: bool = False) -> type[UserOwnedQuerySet]:
    """A `UserOwnedQuerySet` subclass whose rows reach their user through `path`."""
    return type(
        "UserOwnedQuerySet",
        (UserOwnedQuerySet,),
        {"user_path": path, "distinct_for_user": distinct, "__module__": __name__},
    )


def customer_scoped(path: str = "customer", *, distinct: bool = False) -> type[UserOwnedQuerySet]:
    """Rows that belong to a customer (reached through `path`, "" for the customer itself):
    visible to the users linked to that customer."""
    prefix = f"{path}__" if path else ""
    return owned_by(f"{prefix}links__user", distinct=distinct)
