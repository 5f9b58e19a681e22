from django.urls import path

from .views import SmsReceiptView

app_name = "notifications"

urlpatterns = [
    path("<str:backend>/<str:token>/", SmsReceiptView.as_view(), name="sms_receipt"),
]
