"""Qt Widgets: the window, pages, widgets, theme and idle reset. No file I/O, no parsing."""
