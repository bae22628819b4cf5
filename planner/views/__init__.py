"""What pages show: the week overview and the grids per centre, therapist and team class."""
