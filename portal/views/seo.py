"""robots.txt and sitemap.xml: what search engines may read, and every public page to read."""

from __future__ import annotations

from xml.etree import ElementTree

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from plans.models import Plan
from portal.caching import public_page
from portal.sitemap import DISALLOWED_PREFIXES, last_change, public_paths

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow the public pages, keep crawlers out of the staff area; name the sitemap."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}" for prefix in DISALLOWED_PREFIXES]
    lines += ["Allow: /", "", f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def sitemap(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Every public page of the current plan with the date its content last changed."""
    lastmod = last_change(plan).isoformat(timespec="seconds")
    ElementTree.register_namespace("", SITEMAP_NAMESPACE)
    urlset = ElementTree.Element(f"{{{SITEMAP_NAMESPACE}}}urlset")
    for path in public_paths(plan):
        url = ElementTree.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
        ElementTree.SubElement(
            url, f"{{{SITEMAP_NAMESPACE}}}loc"
        ).text = request.build_absolute_uri(path)
        ElementTree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}lastmod").text = lastmod
    body = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
