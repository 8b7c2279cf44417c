"""Read queries of the workspace pages: each loads what one page needs in a fixed, small number of statements."""
