from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("petitions/<slug:slug>/sign/", views.sign, name="sign"),
    path("petitions/<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("petitions/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("petitions/<slug:slug>/comment/", views.comment, name="comment"),
    path("comments/stop-replies/<str:token>/", views.stop_replies, name="stop_replies"),
    path("signatures/confirm/<str:token>/", views.confirm, name="confirm"),
    path("signatures/withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("signatures/withdrawn/", views.withdrawn, name="withdrawn"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
