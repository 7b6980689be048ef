"""What a person runs to prepare a project for the GCP connector: the APIs, the two roles,
ready-to-run ``gcloud`` commands and a Terraform snippet (shown by ``GET /platform``, the
portal's GCP form and ``docs/gcp.md``). Generated from the API list and the declarations,
so what we ask for is exactly what the collectors call."""

from __future__ import annotations

from typing import Any

from cloudconnectors.providers.gcp.apis import OPTIONAL_APIS, REQUIRED_APIS
from cloudconnectors.providers.gcp.declarations import Role
from cloudconnectors.providers.gcp.resources import RESOURCES
from cloudconnectors.providers.gcp.roles import ROLE_TITLES, permissions_by_role

__all__ = ["SERVICE_ACCOUNT_NAME", "gcloud_commands", "setup_guide", "terraform_snippet"]

SERVICE_ACCOUNT_NAME = "cloudconnectors-reader"
_PROJECT = "<PROJECT_ID>"


def _email(project: str) -> str:
    return f"{SERVICE_ACCOUNT_NAME}@{project}.iam.gserviceaccount.com"


def gcloud_commands(project: str = _PROJECT, key_project: str | None = None) -> list[str]:
    """Commands preparing ``project``; the account and key live in ``key_project``."""
    home = key_project or project
    email = _email(home)
    apis = " ".join(api.service for api in (*REQUIRED_APIS, *OPTIONAL_APIS))
    commands = [f"gcloud services enable {apis} --project {project}"]
    if home == project:
        commands.append(f"gcloud iam service-accounts create {SERVICE_ACCOUNT_NAME} "
                        f"--project {home} --display-name 'Cloud Connectors (read-only)'")
    commands += [f"gcloud projects add-iam-policy-binding {project} "
                 f"--member=serviceAccount:{email} --role={role.value}" for role in Role]
    if home == project:
        commands.append(f"gcloud iam service-accounts keys create cloudconnectors-key.json "
                        f"--iam-account {email}")
    return commands


def terraform_snippet(project: str = _PROJECT) -> str:
    apis = "\n".join(f'    "{api.service}",' for api in (*REQUIRED_APIS, *OPTIONAL_APIS))
    roles = "\n".join(f'    "{role.value}",' for role in Role)
    return f'''variable "project_id" {{
  default = "{project}"
}}

resource "google_project_service" "cloudconnectors" {{
  for_each           = toset([
{apis}
  ])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}}

resource "google_service_account" "cloudconnectors" {{
  project      = var.project_id
  account_id   = "{SERVICE_ACCOUNT_NAME}"
  display_name = "Cloud Connectors (read-only)"
}}

resource "google_project_iam_member" "cloudconnectors" {{
  for_each = toset([
{roles}
  ])
  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${{google_service_account.cloudconnectors.email}}"
}}

resource "google_service_account_key" "cloudconnectors" {{
  service_account_id = google_service_account.cloudconnectors.name
}}

# Upload base64decode(google_service_account_key.cloudconnectors.private_key) as the key.
'''


def setup_guide() -> dict[str, Any]:
    by_role = permissions_by_role(RESOURCES)
    return {
        "roles": [{"role": role.value, "title": ROLE_TITLES[role],
                   "permissions": list(by_role[role])} for role in Role],
        "apis": [{"service": a.service, "title": a.title, "required": True}
                 for a in REQUIRED_APIS],
        "optional_apis": [{"service": a.service, "title": a.title, "required": False}
                          for a in OPTIONAL_APIS],
        "gcloud": gcloud_commands(),
        "terraform": terraform_snippet(),
        "steps": [
            "Pick the project that will hold the service account; run the gcloud commands "
            "below there (they enable the APIs, create the account, grant Viewer and "
            "Security Reviewer and download a JSON key).",
            "In every other project to onboard, enable the same APIs and grant the same two "
            "roles to that account (the commands below with that project's ID).",
            "Upload the JSON key as credentials.service_account_key. The connector reads "
            "the key's project and every project the account can see; narrow that with the "
            "connector's include/exclude project lists.",
        ],
    }
