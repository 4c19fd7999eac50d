# client unit tests
