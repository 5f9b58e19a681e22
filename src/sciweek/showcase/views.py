"""The public site: what is on, for a visitor on a phone. Every page reads published content
only; anything else answers 404."""

from datetime import date, datetime, time, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from sciweek.activities.models import Session
from sciweek.activities.selectors import public_activities, with_list_joins
from sciweek.campaigns.models import Edition
from sciweek.campaigns.selectors import current_edition
from sciweek.common.pagination import CappedPaginator
from sciweek.exhibition import selectors as ceremony_selectors
from sciweek.organizations.enums import OrganizationKind
from sciweek.organizations.models import Organization

from . import selectors
from .feeds import build_calendar
from .forms import PublicFilterForm
from .poster import exhibit_label_png, render_poster


class EditionMixin:
    """The edition a page is about: ``/editions/<year>/…`` or, without a year, the current one."""

    def get_edition(self) -> Edition:
        if not hasattr(self, "_edition"):
            year = self.kwargs.get("year")
            if year is not None:
                self._edition = get_object_or_404(selectors.public_editions(), year=year)
            else:
                edition = current_edition()
                if edition is None:
                    raise Http404
                self._edition = edition
        return self._edition

    def get_context_data(self, **kwargs):
        edition = self.get_edition()
        is_current = self.kwargs.get("year") is None or edition == current_edition()
        return super().get_context_data(edition=edition, is_current=is_current, **kwargs)


class HomeView(TemplateView):
    """The edition's front page: title, theme, dates, countdown or "today", key activities,
    categories and areas. ``/`` shows the current edition, ``/editions/<year>/`` an archived one."""

    template_name = "showcase/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs.get("year")
        edition = (
            get_object_or_404(selectors.public_editions(), year=year) if year else current_edition()
        )
        context["edition"] = edition
        context["is_current"] = edition is not None and edition == current_edition()
        context["past_editions"] = selectors.public_editions().exclude(
            pk=getattr(edition, "pk", None)
        )
        if edition is None:
            return context
        today = timezone.localdate()
        context.update(
            phase=edition.phase(),
            starts_at=timezone.make_aware(datetime.combine(edition.start_date, time.min)),
            days_left=(edition.start_date - today).days,
            day_number=(today - edition.start_date).days + 1,
            focus_areas=edition.focus_areas.all(),
            key_activities=selectors.key_activities(edition),
            today_activities=selectors.happening_on(edition, today)[:6]
            if edition.phase() == "running"
            else [],
            categories=selectors.category_counts(edition),
            areas=selectors.area_counts(edition),
        )
        return context


class ActivityListView(EditionMixin, ListView):
    template_name = "showcase/activity_list.html"
    context_object_name = "activities"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_form(self) -> PublicFilterForm:
        if not hasattr(self, "_form"):
            self._form = PublicFilterForm(self.request.GET or None, edition=self.get_edition())
        return self._form

    def get_queryset(self):
        form = self.get_form()
        return selectors.search_public(
            self.get_edition(), form.filters(), only_bookable=form.only_bookable
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.get_form(), **kwargs)


class ActivityDetailView(TemplateView):
    template_name = "showcase/activity_detail.html"

    def get_context_data(self, **kwargs):
        activity = get_object_or_404(
            with_list_joins(public_activities()).prefetch_related("co_hosts", "coverage"),
            pk=self.kwargs["pk"],
        )
        now = timezone.now()
        ceremony = ceremony_selectors.public_ceremony(activity)
        return super().get_context_data(
            activity=activity,
            # The launch ceremony's own page: programme with speakers, and the selected exhibits.
            ceremony=ceremony,
            programme=list(ceremony.programme.all()) if ceremony else [],
            exhibits=(
                list(ceremony_selectors.with_media(ceremony_selectors.selected_exhibits(ceremony)))
                if ceremony
                else []
            ),
            edition=activity.edition,
            # The section tabs and the breadcrumb lead to the activity's own edition.
            is_current=activity.edition == current_edition(),
            sessions=list(activity.sessions.all()),
            upcoming=[s for s in activity.sessions.all() if s.ends_at > now],
            audiences=[t.get_audience_display() for t in activity.audience_tags.all()],
            page_url=self.request.build_absolute_uri(),
            poster_url=self.request.build_absolute_uri(
                reverse("showcase:activity-poster", args=[activity.pk])
            ),
            **kwargs,
        )


class CalendarView(EditionMixin, TemplateView):
    template_name = "showcase/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.get_edition()
        days = selectors.calendar_days(edition)
        today = timezone.localdate()
        day = _date_param(self.request.GET.get("day")) or (today if today in days else days[0])
        paginator = CappedPaginator(
            selectors.sessions_on(edition, day), selectors.CALENDAR_PAGE_SIZE
        )
        paginator.max_pages = selectors.CALENDAR_MAX_PAGES
        page = paginator.get_page(self.request.GET.get("page"))
        one = timedelta(days=1)
        context.update(
            days=days,
            day=day,
            today=today,
            page_obj=page,
            sessions=page.object_list,
            previous_day=day - one if day > days[0] else None,
            next_day=day + one if day < days[-1] else None,
        )
        return context


def _date_param(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` query parameter, or None when absent or not a date."""
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


class EditionArchiveView(ListView):
    template_name = "showcase/editions.html"
    context_object_name = "editions"

    def get_queryset(self):
        return selectors.public_editions()


class OrganizationPageView(EditionMixin, ListView):
    """An area's or a host unit's public page: its published activities in the edition."""

    template_name = "showcase/organization.html"
    context_object_name = "activities"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            if "slug" in self.kwargs:
                self._organization = get_object_or_404(
                    Organization.objects.areas().active(), slug=self.kwargs["slug"]
                )
            else:
                self._organization = get_object_or_404(
                    Organization.objects.active().exclude(kind=OrganizationKind.AREA),
                    pk=self.kwargs["pk"],
                )
        return self._organization

    def get_queryset(self):
        org = self.get_organization()
        qs = public_activities(self.get_edition())
        qs = qs.filter(area=org) if org.is_area else qs.filter(host=org)
        return with_list_joins(qs).order_by("first_start", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.get_organization(), **kwargs)


# An edition's or an area's .ics carries at most this many sessions.
FEED_LIMIT = 2000


class CalendarFeedView(View):
    """``.ics`` for one activity, one area or one edition: public sessions only."""

    def get(self, request, pk=None, slug=None, year=None):
        sessions = Session.objects.select_related("activity", "activity__host").order_by(
            "starts_at"
        )
        if pk is not None:
            activity = get_object_or_404(public_activities(), pk=pk)
            sessions, name, filename = (
                sessions.filter(activity=activity),
                activity.title,
                f"activity-{pk}",
            )
        else:
            edition = (
                get_object_or_404(selectors.public_editions(), year=year)
                if year
                else current_edition()
            )
            if edition is None:
                raise Http404
            sessions = sessions.filter(activity__in=public_activities(edition))
            name, filename = edition.title, f"sciweek-{edition.year}"
            if slug is not None:
                area = get_object_or_404(Organization.objects.areas(), slug=slug)
                sessions = sessions.filter(activity__area=area)
                name, filename = f"{edition.title} · {area.name}", f"sciweek-{edition.year}-{slug}"
        # Bounded like every list: the first FEED_LIMIT sessions in time order.
        response = HttpResponse(
            build_calendar(name, sessions[:FEED_LIMIT]), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
        return response


class RobotsView(View):
    def get(self, request):
        lines = [
            "User-agent: *",
            "Disallow: /office/",
            "Disallow: /accounts/",
            "Disallow: /admin/",
            "Disallow: /api/",
            f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        ]
        return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class PosterView(View):
    """The share poster PNG for a public activity."""

    def get(self, request, pk):
        activity = get_object_or_404(
            public_activities().select_related("edition", "category", "host"), pk=pk
        )
        url = request.build_absolute_uri(reverse("showcase:activity-detail", args=[pk]))
        response = HttpResponse(render_poster(activity=activity, url=url), content_type="image/png")
        response["Content-Disposition"] = f'inline; filename="poster-{pk}.png"'
        return response


class ExhibitDetailView(TemplateView):
    """A selected exhibit's public page, where its booth label's QR code leads."""

    template_name = "showcase/exhibit_detail.html"

    def get_context_data(self, **kwargs):
        exhibit = get_object_or_404(
            ceremony_selectors.with_media(
                ceremony_selectors.public_exhibits().select_related("ceremony__activity")
            ),
            pk=self.kwargs["pk"],
        )
        return super().get_context_data(
            exhibit=exhibit, ceremony=exhibit.ceremony, edition=exhibit.ceremony.edition,
            media=ceremony_selectors.exhibit_media(exhibit), **kwargs,
        )  # fmt: skip


class ExhibitLabelView(View):
    """The printable booth label: title, unit, booth and a QR code to the public page."""

    def get(self, request, pk):
        exhibit = get_object_or_404(ceremony_selectors.public_exhibits(), pk=pk)
        url = request.build_absolute_uri(reverse("showcase:exhibit-detail", args=[exhibit.pk]))
        return HttpResponse(exhibit_label_png(exhibit, url), content_type="image/png")
