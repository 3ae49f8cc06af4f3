"""The architecture holds: the import contracts of pyproject.toml are kept, and they do catch a break.

`make lint` runs the same contracts with `lint-imports`; here each is also checked against the real
import graph with one forbidden import added, so a contract that could never fail is caught too.
"""

from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application.use_cases import read_user_options
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
TIPI = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}


@pytest.fixture(scope="module")
def opzioni():
    configuration.configure()  # what the lint-imports command does first: the readers of options
    return read_user_options(str(PYPROJECT))


@pytest.fixture(scope="module")
def grafo(opzioni) -> grimp.ImportGraph:
    return grimp.build_graph(*opzioni.session_options["root_packages"], cache_dir=None)


def rispettato(opzioni, grafo, contratto: str, *import_aggiunti: tuple[str, str]) -> bool:
    """Whether the contract with this id holds once the given (importer, imported) are added."""
    voce = next(c for c in opzioni.contracts_options if c.get("id") == contratto)
    grafo = deepcopy(grafo)
    for importatore, importato in import_aggiunti:
        grafo.add_import(
            importer=importatore, imported=importato, line_number=1, line_contents="import"
        )
    controllo = TIPI[voce["type"]](
        name=voce["name"], session_options=opzioni.session_options, contract_options=voce
    )
    return controllo.check(grafo, verbose=False).kept


def test_every_contract_is_kept_by_the_code_as_it_is(opzioni, grafo):
    rotti = [c["id"] for c in opzioni.contracts_options if not rispettato(opzioni, grafo, c["id"])]
    assert rotti == []


def test_the_contracts_cover_the_apps_the_wings_the_circles_and_the_models(opzioni):
    assert {c["id"] for c in opzioni.contracts_options} == {
        "fasi",
        "ali",
        "cicli",
        "modelli",
        "condivisi",
    }


def test_a_model_module_importing_a_service_breaks_a_contract(opzioni, grafo):
    # The circle this split removed: the Job model asked the job machinery for its title.
    assert not rispettato(
        opzioni, grafo, "modelli", ("pianizona.models.jobs", "pianizona.lavori.tipi")
    )
    assert not rispettato(opzioni, grafo, "modelli", ("risorse.models", "risorse.services"))
    assert not rispettato(
        opzioni, grafo, "modelli", ("programmazione.models", "programmazione.selectors")
    )


def test_a_lower_wing_importing_a_higher_one_breaks_a_contract(opzioni, grafo):
    assert not rispettato(
        opzioni, grafo, "ali", ("pianizona.accessi.tenancy", "pianizona.iter.workflow")
    )
    assert not rispettato(
        opzioni, grafo, "ali", ("pianizona.lavori.services", "pianizona.territorio.selectors")
    )


def test_a_circle_between_two_modules_breaks_a_contract(opzioni, grafo):
    # lavori.tasks imports lavori.services: the services may not import the tasks back.
    assert not rispettato(
        opzioni, grafo, "cicli", ("pianizona.lavori.services", "pianizona.lavori.tasks")
    )
    assert not rispettato(
        opzioni, grafo, "cicli", ("pianizona.iter.tasks", "pianizona.iter.workflow")
    )


def test_a_shared_module_importing_a_wing_breaks_a_contract(opzioni, grafo):
    assert not rispettato(
        opzioni, grafo, "condivisi", ("pianizona.registry", "pianizona.iter.workflow")
    )
    assert not rispettato(
        opzioni, grafo, "condivisi", ("pianizona.dominio", "pianizona.accessi.tenancy")
    )


def test_the_core_importing_a_phase_app_breaks_a_contract(opzioni, grafo):
    assert not rispettato(opzioni, grafo, "fasi", ("pianizona.iter.workflow", "risorse.services"))
    assert not rispettato(opzioni, grafo, "fasi", ("risorse.services", "programmazione.services"))
