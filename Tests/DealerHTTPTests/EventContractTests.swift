import DealerCore
import DealerTestSupport
import Foundation
import Testing

/// Every event type has one typed payload, and the OpenAPI document describes it under `webhooks`:
/// an example of each type, made by the payload types the store writes with, matches its schema and
/// reads back as the same value. Events the service itself wrote are checked too, at the end of
/// every API test (`APIHarness.checkEventsAgainstContract`).
@Suite("Event contract")
struct EventContractTests {
    @Test func everyEventTypeIsDescribedUnderWebhooks() throws {
        let webhooks = try #require(try BoundaryValueTests.document()["webhooks"] as? [String: Any])
        #expect(Set(webhooks.keys) == Set(EventType.allCases.map(\.rawValue)), "one webhook entry per event type, none extra")
    }

    @Test(arguments: EventType.allCases)
    func anExampleOfEachTypeMatchesItsSchemaAndReadsBack(_ type: EventType) throws {
        let contract = try EventContract()
        let event = try Self.example(type)
        let stored = StoredEvent(sequence: 42, dealerSequence: event.dealerID == nil ? nil : 7, event: event)
        let body = EventEnvelope.webhookJSON(of: stored)
        let problems = try contract.problems(of: body)
        #expect(problems.isEmpty, "\(type.rawValue): \(problems.joined(separator: "; "))")
        #expect(body["timestamp"] == body["occurred_at"], "webhooks keep the old name for one version")
        #expect(EventEnvelope.json(of: stored)["timestamp"] == nil, "the feed has only occurred_at")

        let payload = try event.payload()
        #expect(Swift.type(of: payload) == type.payloadType)
        #expect(try JSONValueEncoder().encode(payload) == event.data, "the payload reads back as the value written")
    }

    @Test func theContractCatchesAMissingAnUnknownAndAMistypedMember() throws {
        let contract = try EventContract()
        let stored = StoredEvent(sequence: 1, dealerSequence: 1, event: try Self.example(.planBehind))
        guard case .object(var body) = EventEnvelope.json(of: stored), case .object(var data) = body["data"] else {
            Issue.record("an envelope is an object")
            return
        }
        data["forecast"] = nil
        data["forecst"] = .string("1.00")
        data["threshold_percent"] = .string("80")
        data["dealer_id"] = .string(Self.dealerID.uuidString)
        body["data"] = .object(data)
        let problems = try contract.problems(of: .object(body)).joined(separator: "\n")
        #expect(problems.contains("forecast is missing"))
        #expect(problems.contains("forecst is not described"))
        #expect(problems.contains("threshold_percent: \"80\" is not integer"))
        #expect(problems.contains("is not a uuid"), "ids are written in lower case")
    }

    @Test func aPayloadOfTheWrongTypeIsRefusedBeforeItIsWritten() throws {
        let ping = WebhookPing(endpointID: UUID(), requestedBy: "admin-key")
        #expect(throws: EventPayloadMismatch.self) { try DomainEvent(type: .jobFailed, occurredAt: Date(), payload: ping) }
        let event = try DomainEvent(type: .webhookPing, occurredAt: Date(), payload: ping)
        #expect(throws: EventPayloadMismatch.self) { try event.payload(as: JobFailed.self) }
        #expect(try event.payload(as: WebhookPing.self) == ping)
    }

    @Test func theConventionWritesNullsLowerCaseIdsAndSnakeCaseKeys() throws {
        let endpoint = try #require(UUID(uuidString: "0A1B2C3D-0000-4000-8000-00000000ABCD"))
        let json = try JSONValueEncoder().encode(
            EndpointDisabled(endpointID: endpoint, url: "https://erp.example.ru/hook", reason: "410 Gone", failingSince: nil))
        #expect(
            json
                == .object([
                    "endpoint_id": .string("0a1b2c3d-0000-4000-8000-00000000abcd"), "url": .string("https://erp.example.ru/hook"),
                    "reason": .string("410 Gone"), "failing_since": .null,
                ]))
        #expect(SnakeCase.key("dealerID") == "dealer_id" && SnakeCase.key("answerWithinDays") == "answer_within_days")
        #expect(SnakeCase.key("tax_id") == "tax_id" && SnakeCase.key("URLPath") == "url_path")
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(JobFailed.self, from: .object(["job": .string("x"), "attempts": .number(1e30)]))
        }
    }

    // MARK: - One example per event type

    static let dealerID = UUID()
    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let day = CivilDate(daysSinceEpoch: 20787)  // 2026-11-30
    static let monthStart = CivilDate(daysSinceEpoch: 20758)  // 2026-11-01
    static let rub = Currency.rub

    static func example(_ type: EventType) throws -> DomainEvent {
        func event(_ payload: some EventPayload, dealer: Bool = true) throws -> DomainEvent {
            try DomainEvent(type: type, occurredAt: now, dealerID: dealer ? dealerID : nil, payload: payload)
        }
        func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: rub) }
        switch type {
        case .dealerCreated: return try event(try dealer())
        case .dealerUpdated: return try event(DealerUpdated(dealer: try dealer(), changedFields: ["name", "contacts"]))
        case .dealerStatusChanged:
            return try event(
                DealerStatusChanged(dealerID: dealerID, code: "D-1", from: .applicant, to: .accredited, reason: "аккредитован", actor: "anna"))
        case .managerCreated, .managerUpdated:
            return try event(
                Manager(id: UUID(), name: "Анна Петрова", email: "anna@example.ru", role: .newClients, createdAt: now, updatedAt: now),
                dealer: false)
        case .accreditationDecided:
            let record = AccreditationRecord(
                id: UUID(), dealerID: dealerID, profile: "standard", profileVersion: "2026.1", evaluatedDecision: .needsReview,
                decision: .accredited, score: 72.5, passMark: 70, override: .init(decision: .accredited, reason: "решение РОП"),
                facts: .object([:]), evaluation: .object([:]), requiredDocuments: ["charter"], decidedBy: "head", decidedAt: now,
                validUntil: day.adding(months: 12), statusBefore: .applicant, statusAfter: .accredited)
            return try event(AccreditationDecided(record: record, code: "D-1"))
        case .accreditationExpiring:
            return try event(
                ExpiryNotice(
                    subject: .document, dealerID: dealerID, code: "D-1", accreditationID: UUID(), documentID: UUID(), kind: "insurance",
                    expires: day.adding(days: 14), daysLeft: 14, thresholdDays: 14))
        case .accreditationExpired:
            return try event(
                ExpiryNotice(
                    subject: .accreditation, dealerID: dealerID, code: "D-1", accreditationID: UUID(), profile: "standard",
                    profileVersion: "2026.1", validUntil: day, daysLeft: 0, action: .suspended))
        case .creditLimitWarning, .creditLimitBreached, .creditLimitRestored, .creditOverdue, .creditOverdueCleared:
            return try event(
                CreditStateChanged(
                    dealerID: dealerID, code: "D-1", from: "ok", to: "breached", balance: money(1_250_000_00), limit: money(1_000_000_00),
                    overdue: money(0), daysOverdue: 0, asOf: day, source: .write))
        case .creditShipmentBlocked:
            let check = try CreditCheck.evaluate(
                requested: money(500_000_00), openOrders: money(0), status: .accredited, policy: CreditPolicy(limit: money(1_000_000_00)),
                position: ReceivablesPosition.compute([], asOf: day))
            return try event(ShipmentBlocked(dealerID: dealerID, code: "D-1", requestedBy: "erp", check: check))
        case .creditPaymentReminder:
            let entry = LedgerEntry(
                id: UUID(), dealerID: dealerID, externalID: "ship-123", kind: .shipment, documentNumber: "РН-000123",
                documentDate: day.adding(days: -33), amount: money(250_000_00), dueDate: day.adding(days: -3), createdAt: now, updatedAt: now)
            let position = ReceivablesPosition.compute([entry], asOf: day)
            guard
                let notice = Dunning.notice(
                    dealerID: dealerID, position: position, currency: rub, levels: [-3, 0, 3], sent: [:], pausedUntil: nil)
            else { throw ValidationError(field: "levels", "the example's document reaches no level") }
            return try event(
                PaymentReminder(
                    notice: notice, code: "D-1", asOf: day, balance: money(250_000_00), overdue: money(250_000_00), limit: money(1_000_000_00)))
        case .creditPromiseKept, .creditPromiseBroken:
            let promise = PaymentPromise(
                id: UUID(), dealerID: dealerID, amount: money(100_000_00), promisedOn: day, madeOn: day.adding(days: -7), note: "до пятницы",
                madeBy: "anna", createdAt: now)
            return try event(PromiseSettled(promise: promise, code: "D-1", paid: money(40_000_00), balance: money(210_000_00), overdue: money(0)))
        case .rhythmLate, .rhythmRestored:
            return try event(
                RhythmChanged(
                    dealerID: dealerID, code: "D-1", status: .late, expectedIntervalDays: 14, lastShipment: day.adding(days: -20),
                    daysSinceLast: 20, daysLate: 6))
        case .planBehind:
            return try event(
                PlanBehind(
                    dealerID: dealerID, code: "D-1", period: "2026-11", plan: money(3_000_000_00), fact: money(1_000_000_00),
                    forecast: money(1_500_000_00), forecastPercent: 50, thresholdPercent: 80))
        case .reconciliationActGenerated:
            return try event(
                ActGenerated(
                    actID: UUID(), number: "АС-2026-000001", dealerID: dealerID, code: "D-1", periodFrom: monthStart,
                    periodTo: day, version: 2, previousID: UUID(), reason: .scheduled, closing: money(-12_345_67)))
        case .reconciliationActConfirmed, .reconciliationActDisputed:
            return try event(
                ActAnswered(
                    actID: UUID(), number: "АС-2026-000001", dealerID: dealerID, periodFrom: monthStart,
                    periodTo: day, discrepancies: 2, answeredBy: "dealer-D-1"))
        case .reconciliationActOverdue:
            return try event(
                ActOverdue(
                    actID: UUID(), number: "АС-2026-000001", dealerID: dealerID, code: "D-1", periodFrom: monthStart,
                    periodTo: day, generatedAt: now, answerWithinDays: 10))
        case .kpiPeriodClosed:
            return try event(
                PeriodClosed(
                    period: "2026-11", managers: 12, created: 0, revised: 2, unchanged: 10, bonusTotal: money(412_500_00), closedBy: "job:kpi-close"),
                dealer: false)
        case .dealWon, .dealLost:
            let won = type == .dealWon
            return try event(
                DealClosed(
                    Deal(
                        id: UUID(), externalID: "CRM-77", dealerID: won ? dealerID : nil, prospect: won ? nil : "ООО «Вектор»",
                        managerID: UUID(), amount: money(2_450_000_00), stage: "negotiation", status: won ? .won : .lost,
                        openedOn: monthStart, closedOn: day, reason: won ? nil : "выбрали конкурента", stageSince: monthStart,
                        createdAt: now, updatedAt: now)),
                dealer: won)
        case .dealStalled:
            return try event(
                DealStalled(
                    Deal(
                        id: UUID(), externalID: "CRM-78", dealerID: dealerID, prospect: nil, managerID: UUID(), amount: money(900_000_00),
                        stage: "proposal", status: .open, openedOn: monthStart, closedOn: nil, reason: nil, stageSince: monthStart,
                        createdAt: now, updatedAt: now),
                    stageTitle: "Коммерческое предложение", today: day))
        case .jobFailed:
            let run = JobRun(id: UUID(), job: "credit-scan", tick: now, trigger: .scheduled, status: .failed, attempts: 3, createdAt: now)
            return try event(JobFailed(run: run, error: "database is down"), dealer: false)
        case .webhookEndpointDisabled:
            return try event(
                EndpointDisabled(endpointID: UUID(), url: "https://erp.example.ru/hook", reason: "answered 410", failingSince: now),
                dealer: false)
        case .webhookPing: return try event(WebhookPing(endpointID: UUID(), requestedBy: "admin-key"), dealer: false)
        }
    }

    static func dealer() throws -> Dealer {
        Dealer(
            id: dealerID, code: "D-1", name: "Альфа Моторс", legalName: "ООО «Альфа Моторс»", taxID: try TaxID(KnownINN.organisations[0]),
            region: "Москва", managerID: UUID(), contacts: [Contact(name: "Пётр Сидоров", email: "petr@example.ru")],
            attributes: ["showroom_area_m2": .number(180)], status: .prospect, statusChangedAt: now, createdAt: now, updatedAt: now)
    }
}

/// The served OpenAPI document's description of each event type's webhook body.
struct EventContract {
    let validator: SchemaValidator
    let webhooks: [String: Any]

    init() throws {
        let document = try BoundaryValueTests.document()
        validator = SchemaValidator(document: document)
        webhooks = document["webhooks"] as? [String: Any] ?? [:]
    }

    /// What in an event's JSON (feed item or webhook body) the document does not allow.
    func problems(of event: JSONValue) throws -> [String] {
        guard let type = event["type"]?.stringValue else { return ["the event has no type"] }
        let schema =
            ((((webhooks[type] as? [String: Any])?["post"] as? [String: Any])?["requestBody"] as? [String: Any])?["content"]
            as? [String: Any])?["application/json"] as? [String: Any]
        guard let schema = schema?["schema"] else { return ["\(type) is not described under webhooks"] }
        return validator.problems(event, against: schema)
    }
}
