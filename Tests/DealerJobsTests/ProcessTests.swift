import Testing

/// Tests that start dealerd processes. They run one after another: on two cores, processes of two
/// such tests at once starve each other's heartbeats and timeouts, and the figures they print mean
/// nothing.
@Suite("Real dealerd processes", .serialized)
enum ProcessTests {}
