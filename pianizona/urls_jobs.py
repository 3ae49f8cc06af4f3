from django.urls import path

from .views import jobs

urlpatterns: list = [
    path("lavori/", jobs.job_list, name="job_list"),
    path("lavori/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("lavori/<uuid:pk>/stato/", jobs.job_stato, name="job_stato"),
    path("lavori/<uuid:pk>/file/", jobs.job_scarica, name="job_scarica"),
]
