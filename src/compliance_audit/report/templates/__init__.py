"""The jinja2 templates of the HTML report (a package only so that the wheel carries them)."""
