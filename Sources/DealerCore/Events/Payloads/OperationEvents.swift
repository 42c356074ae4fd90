import Foundation

/// `job.failed`: a scheduled or manual run used up its attempts.
public struct JobFailed: EventPayload {
    public var job: String
    public var runID: UUID
    public var tick: Date
    public var attempts: Int
    public var error: String
    public var trigger: JobTrigger

    public init(run: JobRun, error: String) {
        job = run.job
        runID = run.id
        tick = run.tick
        attempts = run.attempts
        self.error = error
        trigger = run.trigger
    }
}

/// `webhook.endpoint_disabled`: the dispatcher gave up on an endpoint; its subscribers are told.
public struct EndpointDisabled: EventPayload {
    public var endpointID: UUID
    public var url: String
    public var reason: String
    public var failingSince: Date?

    public init(endpointID: UUID, url: String, reason: String, failingSince: Date?) {
        self.endpointID = endpointID
        self.url = url
        self.reason = reason
        self.failingSince = failingSince
    }
}

/// `webhook.ping`: a test event sent to one endpoint on request.
public struct WebhookPing: EventPayload {
    public var endpointID: UUID
    public var requestedBy: String
    public var message: String

    public init(endpointID: UUID, requestedBy: String) {
        self.endpointID = endpointID
        self.requestedBy = requestedBy
        message = "Test event from dealerd. Verify its signature with your endpoint's secret."
    }
}
