"""Demo data for Ballenstedt (placeholder until the demo seeder lands)."""

import click


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when a municipality exists.")
def seed_demo(if_empty: bool) -> None:
    """Create Ballenstedt with districts, focus area, buildings, units, owners and contacts."""
    click.echo("seed-demo: not yet implemented")
