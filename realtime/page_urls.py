"""Routes of the spectator pages (included at the end of config/urls.py)."""

from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import path

from realtime.pages import landing_page, live_page, overlay_page

urlpatterns = [
    path("", landing_page, name="landing-page"),
    path("live/<int:tournament_id>/", live_page, name="live-page"),
    path("overlay/<int:tournament_id>/", overlay_page, name="overlay-page"),
]

# The pages need their script and styles even when served by daphne alone (it serves no static
# files). This adds routes only with DEBUG on (the default local run and the browser tests);
# production serves STATIC_ROOT from the proxy/CDN in front of it.
urlpatterns += staticfiles_urlpatterns()
