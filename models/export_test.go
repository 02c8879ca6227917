package models

// WrittenTable exposes writtenTable to the tests of package models_test.
var WrittenTable = writtenTable
