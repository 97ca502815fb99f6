from django.urls import path

from . import links, views

app_name = "signatures"

urlpatterns = [
    path("petitions/<slug:slug>/sign/", views.sign, name="sign"),
    path("petitions/<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("petitions/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("petitions/<slug:slug>/comment/", views.comment, name="comment"),
    path("petitions/<slug:slug>/comment/sent/", views.comment_sent, name="comment_sent"),
    # The emailed links: their routes and names come from signatures.links.
    path(links.STOP_REPLIES.route, views.stop_replies, name=links.STOP_REPLIES.kind),
    path(links.CONFIRM.route, views.confirm, name=links.CONFIRM.kind),
    path(links.UNSUBSCRIBE.route, views.unsubscribe, name=links.UNSUBSCRIBE.kind),
    path(links.WITHDRAW.route, views.withdraw, name=links.WITHDRAW.kind),
    path("signatures/withdrawn/", views.withdrawn, name="withdrawn"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
