from django.urls import path

from . import views

urlpatterns = [
    path("lavori/", views.job_list, name="job_list"),
    path("lavori/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("lavori/<uuid:pk>/stato/", views.job_stato, name="job_stato"),
    path("lavori/<uuid:pk>/file/", views.job_scarica, name="job_scarica"),
]
