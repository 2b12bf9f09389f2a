"""The one thing pyproject.toml cannot say: which directories the packages come from.

The rule and catalogue files live at the top of the repository (rules/, catalogues/), where rule
authors edit them; the wheel carries them inside the package as compliance_audit/rules and
compliance_audit/catalogues (with their cases/), so every command finds them after a plain
`pip install .`, from any directory. Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

DATA_DIRECTORIES = {"compliance_audit.rules": "rules", "compliance_audit.catalogues": "catalogues"}
data_packages = [
    f"{package}.{sub}" if sub else package
    for package, directory in DATA_DIRECTORIES.items()
    for sub in ("", *find_namespace_packages(directory))
]

setup(
    # namespace discovery: data-only folders such as schemas/ and report/templates/ are packages too
    packages=[*find_namespace_packages("src", include=["compliance_audit*"]), *data_packages],
    package_dir={"": "src", **DATA_DIRECTORIES},
    package_data={
        "compliance_audit.schemas": ["*.json"],
        "compliance_audit.report.templates": ["*.j2"],
        **{package: ["*.yaml"] for package in data_packages},
    },
)
