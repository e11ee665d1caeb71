// The package exists to build its dependencies' plugin products (swift build --product …).
