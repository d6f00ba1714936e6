from django.urls import path

from phone_numbers import views

app_name = "numbers"

urlpatterns = [
    path("", views.number_list, name="list"),
    path("refresh/", views.number_index_refresh, name="refresh"),
    path("profiles.csv", views.profile_summary_csv, name="profile_summary"),
]
