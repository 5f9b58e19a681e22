from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's strict CSP: the split view loads its start-up script from a
    URL instead of inlining it, and our template replaces the stock inline ``<style>`` with a
    stylesheet. Swagger UI's own files come from drf_spectacular_sidecar, served locally."""

    template_name = "api/swagger_ui.html"
