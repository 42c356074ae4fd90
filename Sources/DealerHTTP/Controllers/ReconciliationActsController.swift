import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Reconciliation acts: made on demand or by the monthly job, read as JSON, CSV, printable HTML or
/// PDF, and answered for the dealer.
struct ReconciliationActsController {
    let store: Store
    let settings: APISettings

    static let readers: Set<Role> = [.admin, .manager, .accountant, .viewer]
    static let writers: Set<Role> = [.admin, .manager, .accountant]
    /// A dealer's own key reads and answers its own acts.
    static let dealerReaders = readers.union([.dealer])
    static let dealerWriters = writers.union([.dealer])

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/reconciliation-acts/generate", .roles(Self.writers)) { request, context in
                let body = try await JSONBody.decode(GenerateActsRequest.self, from: request, limit: settings.maxBodyBytes)
                guard let text = body.period?.trimmedNonEmpty, let period = PlanPeriod(parsing: text) else {
                    throw ValidationError(field: "period", "required: a month (2026-10), a quarter (2026-Q4) or a year (2026)")
                }
                let today = store.calendar.today
                guard period.lastDay < today else {
                    throw ValidationError(field: "period", "\(period) has not ended yet: an act covers a closed period")
                }
                var dealer: UUID?
                if let id = body.dealerID {
                    guard let parsed = UUID(uuidString: id) else { throw ValidationError(field: "dealer_id", "expected a UUID") }
                    dealer = parsed
                    _ = try await store.dealer(id: parsed)
                    if try await !store.isVisible(dealerID: parsed, to: context.visibility) { throw Problem.outsideManagerScope }
                } else if context.visibility != .all {
                    throw ValidationError(
                        field: "dealer_id", "required: with auth.manager_scope own, a manager generates acts for one of its dealers")
                }
                let result = try await store.generateActs(
                    from: period.firstDay, to: period.lastDay, dealer: dealer, reason: .manual, settings: settings.acts)
                return try JSONBody.response(result)
            },
            APIRoute(.get, "/v1/kpi/act-timeliness", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                let today = store.calendar.today
                let from = try query.date("from") ?? PlanPeriod(year: today.year, kind: .year).firstDay
                let to = try query.date("to") ?? today
                guard from <= to else { throw ValidationError(field: "to", "the period ends before it starts (from \(from.iso))") }
                guard to.days(since: from) <= 3660 else { throw ValidationError(field: "to", "a period of at most ten years") }
                let report = try await store.actTimeliness(
                    from: from, to: to, groupBy: try query.oneOf("group_by", ActTimelinessGrouping.self) ?? .serviceSpecialist,
                    deadlines: settings.acts.deadlines, today: today, zone: store.calendar.timeZone, visibility: context.visibility)
                return try JSONBody.response(report)
            },
            APIRoute(.get, "/v1/reconciliation-acts", .roles(Self.readers)) { request, context in
                var query = try Self.listQuery(QueryParameters(request: request))
                query.visibility = context.visibility
                return try await page(of: query)
            },
            // A dealer's own acts, for its own key too: how a dealer finds what there is to answer.
            APIRoute(.get, "/v1/dealers/{id}/reconciliation-acts", .roles(Self.dealerReaders)) { request, context in
                var query = try Self.listQuery(QueryParameters(request: request), dealerOnly: true)
                query.dealerID = try context.uuidParameter(entity: "dealer")
                return try await page(of: query, dealerMustExist: true)
            },
            APIRoute(.get, "/v1/reconciliation-acts/{id}", .roles(Self.dealerReaders), dealerScope: .resource) { _, context in
                try JSONBody.response(try await ownAct(context))
            },
            APIRoute(.get, "/v1/reconciliation-acts/{id}/act.csv", .roles(Self.dealerReaders), dealerScope: .resource) { _, context in
                let act = try await ownAct(context)
                return Self.file(act.csv, type: "text/csv; charset=utf-8", name: "\(act.number).csv")
            },
            APIRoute(.get, "/v1/reconciliation-acts/{id}/act.html", .roles(Self.dealerReaders), dealerScope: .resource) { _, context in
                let act = try await ownAct(context)
                return Self.file(act.html, type: "text/html; charset=utf-8", name: nil)
            },
            APIRoute(.get, "/v1/reconciliation-acts/{id}/act.pdf", .roles(Self.dealerReaders), dealerScope: .resource) { _, context in
                try await ActPDFFile.response(for: try await ownAct(context), fonts: settings.pdfFonts)
            },
            APIRoute(.get, "/v1/reconciliation-acts/{id}/act.xml", .roles(Self.dealerReaders), dealerScope: .resource) { _, context in
                let file = try await store.actXML(id: try ownAct(context).id, settings: settings.acts, timeZone: store.calendar.timeZone)
                var headers: HTTPFields = [.contentType: "application/xml; charset=windows-1251"]
                headers[.contentDisposition] = "attachment; filename=\"\(file.id).xml\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
            },
            // The store checks a dealer key answers only its own act.
            APIRoute(.post, "/v1/reconciliation-acts/{id}/confirm", .roles(Self.dealerWriters), dealerScope: .resource) { _, context in
                let act = try await store.answerAct(
                    id: try context.uuidParameter(entity: "reconciliation act"), confirmed: true, dealerClosingMinor: nil, discrepancies: [],
                    by: try context.caller)
                return try JSONBody.response(act)
            },
            APIRoute(.post, "/v1/reconciliation-acts/{id}/edo-response", .roles(Self.dealerWriters), dealerScope: .resource) { request, context in
                try JSONBody.response(try await answer(fromTitle: request, context: context))
            },
            APIRoute(.post, "/v1/reconciliation-acts/{id}/dispute", .roles(Self.dealerWriters), dealerScope: .resource) { request, context in
                let id = try await ownAct(context).id
                let body = try await JSONBody.decode(DisputeRequest.self, from: request, limit: settings.maxBodyBytes)
                let (closing, discrepancies) = try body.validated(currency: settings.credit.currency)
                let act = try await store.answerAct(
                    id: id, confirmed: false, dealerClosingMinor: closing,
                    discrepancies: discrepancies, by: try context.caller)
                return try JSONBody.response(act)
            },
        ]
    }

    /// The dealer's answer as its EDO operator delivers it (КНД 1110333): agreed confirms the act; a
    /// disagreement disputes it with the documents it lists, matched to our lines by number and date.
    func answer(fromTitle request: Request, context: APIContext) async throws -> ReconciliationAct {
        let act = try await ownAct(context)
        let buffer = try await JSONBody.collect(request, limit: settings.maxBodyBytes, setting: "http.max_body_bytes")
        let title: FNSRecipientTitle
        do {
            title = try FNSRecipientTitle(parsing: Data(buffer.readableBytesView), currency: Currency(code: act.statement.currency) ?? .rub)
            try title.check(answers: act.id)
        } catch {
            throw ValidationError(field: "file", error.message)
        }
        let discrepancies = title.differences.map { difference in
            let ours = act.statement.lines.first { $0.number == difference.number && $0.date == difference.date }
            return ActDiscrepancy(
                document: ours?.externalID ?? difference.document, oursMinor: ours.map { max($0.debitMinor, $0.creditMinor) },
                theirsMinor: difference.theirsMinor, comment: difference.comment)
        }
        return try await store.answerAct(
            id: act.id, confirmed: title.agreed, dealerClosingMinor: title.closingMinor, discrepancies: discrepancies, by: try context.caller)
    }

    /// The list's filters from the query string; one dealer's list takes only its status and paging.
    /// Parsed apart from the awaiting handler: built inline in it, the Swift 6.3.1 optimizer crashed
    /// (signal 11 while splitting the handler's coroutine) in release builds.
    static func listQuery(_ query: QueryParameters, dealerOnly: Bool = false) throws -> ActQuery {
        var filter = ActQuery(status: try query.oneOf("status", ActStatus.self), cursor: query.string("cursor"), limit: try query.limit())
        guard !dealerOnly else { return filter }
        filter.dealerID = try query.uuid("dealer")
        filter.managerID = try query.uuid("manager")
        filter.serviceSpecialistID = try query.uuid("service_specialist")
        if let text = query.string("period") {
            guard let period = PlanPeriod(parsing: text) else { throw ValidationError(field: "period", "a month (2026-10), a quarter or a year") }
            filter.from = period.firstDay
            filter.to = period.lastDay
        }
        return filter
    }

    /// A page of acts; for one dealer's list, a dealer with none yet is told apart from no such dealer.
    func page(of query: ActQuery, dealerMustExist: Bool = false) async throws -> Response {
        let page = try await store.acts(query)
        if dealerMustExist, page.items.isEmpty, let dealer = query.dealerID { _ = try await store.dealer(id: dealer) }
        return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
    }

    /// The act, if the caller may see it: another dealer's act is as absent as a missing one.
    func ownAct(_ context: APIContext) async throws -> ReconciliationAct {
        let id = try context.uuidParameter(entity: "reconciliation act")
        let act = try await store.act(id: id)
        let caller = try context.caller
        if caller.role == .dealer && caller.dealerID != act.dealerID { throw DomainError.notFound(entity: "reconciliation act", id: id.lowercased) }
        if try await !store.isVisible(dealerID: act.dealerID, to: context.visibility) { throw Problem.outsideManagerScope }
        return act
    }

    static func file(_ text: String, type: String, name: String?) -> Response {
        var headers: HTTPFields = [.contentType: type]
        if let name {
            // RFC 6266: an ASCII fallback and the UTF-8 name (act numbers are Cyrillic).
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "act.csv"
            headers[.contentDisposition] = "attachment; filename=\"act.csv\"; filename*=UTF-8''\(encoded)"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

struct GenerateActsRequest: Decodable {
    var period: String?
    var dealerID: String?

    enum CodingKeys: String, CodingKey {
        case period
        case dealerID = "dealer_id"
    }
}

struct DisputeRequest: Decodable {
    struct Line: Decodable {
        var document: String?
        var ours: AmountText?
        var theirs: AmountText?
        var comment: String?
    }

    /// The closing balance by the dealer's books (signed as ours: positive, the dealer owes).
    var closing: AmountText?
    var discrepancies: [Line]?

    func validated(currency: Currency) throws -> (Int64?, [ActDiscrepancy]) {
        var issues = ValidationCollector()
        func amount(_ text: AmountText?, _ field: String) -> Int64? {
            guard let text else { return nil }
            do { return try Money(parsing: text.text, currency: currency).minorUnits } catch {
                issues.add(field, error.description)
                return nil
            }
        }
        let closing = amount(closing, "closing")
        var lines: [ActDiscrepancy] = []
        let sent = discrepancies ?? []
        if sent.isEmpty { issues.add("discrepancies", "a dispute lists at least one line the dealer's figures differ on") }
        if sent.count > FNSRecipientTitle.maximumDifferences {
            issues.add("discrepancies", "at most \(FNSRecipientTitle.maximumDifferences) lines")
            try issues.check()
        }
        for (index, line) in sent.enumerated() {
            guard let document = line.document?.trimmedNonEmpty else {
                issues.add("discrepancies[\(index)].document", "required: the document (its id or as the act names it)")
                continue
            }
            let theirs = amount(line.theirs, "discrepancies[\(index)].theirs")
            if line.theirs == nil { issues.add("discrepancies[\(index)].theirs", "required: the amount by the dealer's books") }
            lines.append(
                ActDiscrepancy(
                    document: document, oursMinor: amount(line.ours, "discrepancies[\(index)].ours"), theirsMinor: theirs, comment: line.comment))
        }
        try issues.check()
        return (closing, lines)
    }
}
