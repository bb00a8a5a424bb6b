"""From model to numbers: the graph, the one walk (settle), best paths, silent caller, mistype, structure."""
