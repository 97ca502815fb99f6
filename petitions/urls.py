from django.urls import path

from . import views
from .feeds import UpdatesFeed

app_name = "petitions"

urlpatterns = [
    path("<slug:slug>.json", views.api_detail, name="api_detail"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/share.png", views.share_image, name="share_image"),
    path("<slug:slug>/poster/", views.poster, name="poster"),
    path("<slug:slug>/updates.atom", UpdatesFeed(), name="updates_feed"),
]
