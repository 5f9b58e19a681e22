"""Who may do what with editions and notices."""

import rules

from sciweek.organizations.access import access_for
from sciweek.organizations.rules import is_organizer_admin, is_organizer_staff, is_platform_admin


@rules.predicate
def acts_for_recipient(user, delivery) -> bool:
    """``delivery`` is a NoticeRecipient row."""
    return delivery is not None and access_for(user).can_act_for(delivery.organization)


@rules.predicate
def is_addressed_to_user(user, notice) -> bool:
    if notice is None or not notice.is_published:
        return False
    access = access_for(user)
    return any(
        access.can_act_for(d.organization) for d in notice.deliveries.select_related("organization")
    )


organizer = is_organizer_admin | is_platform_admin

rules.add_perm("campaigns.manage_edition", organizer)
rules.add_perm("campaigns.manage_notice", organizer)
rules.add_perm("campaigns.view_acknowledgements", is_organizer_staff | is_platform_admin)
rules.add_perm("campaigns.remind_recipients", organizer)
rules.add_perm(
    "campaigns.view_notice", is_organizer_staff | is_platform_admin | is_addressed_to_user
)
rules.add_perm("campaigns.acknowledge_notice", acts_for_recipient)
