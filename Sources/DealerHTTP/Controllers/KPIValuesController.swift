import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// The KPIs dealerd cannot see (calls, reach, decision-maker contacts, CSI, CRM quality, meetings),
/// pushed per manager and period by the telephony or the CRM (an integration key), or entered by
/// the head of sales. A manager does not report his own: a manager key writes only when bound to
/// the head. Reading is the scorecard's: a manager key reads its own values.
struct KPIValuesController {
    let store: Store
    let settings: APISettings

    static let writers: Set<Role> = [.admin, .integration, .manager]
    static let readers: Set<Role> = [.admin, .accountant, .integration, .manager]

    var routes: [APIRoute] {
        [
            APIRoute(.put, "/v1/kpi/values/{manager}/{period}/{kpi}", .roles(Self.writers)) { request, context in
                let managers = try await store.allManagers()
                try ScorecardsController.authorizeHead(context.actor, managers: managers)
                let (manager, period, kpi) = try Self.path(context, managers: managers)
                let body = try await JSONBody.decode(KPIValueRequest.self, from: request, limit: settings.maxBodyBytes)
                let caller = try context.caller
                let value = try ExternalKPIValue.validated(kpi: kpi, value: body.value?.text, source: body.source, fallbackSource: caller.name)
                let record = try await store.setKPIValue(managerID: manager.id, period: period, kpi: kpi, value, by: caller)
                return try JSONBody.response(try JSONValueEncoder().encode(KPIValueBody(record, manager: manager)))
            },
            APIRoute(.delete, "/v1/kpi/values/{manager}/{period}/{kpi}", .roles(Self.writers)) { _, context in
                let managers = try await store.allManagers()
                try ScorecardsController.authorizeHead(context.actor, managers: managers)
                let (manager, period, kpi) = try Self.path(context, managers: managers)
                try await store.removeKPIValue(managerID: manager.id, period: period, kpi: kpi, by: try context.caller)
                return Response(status: .noContent)
            },
            APIRoute(.get, "/v1/kpi/values", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                let period = try ScorecardsController.period(query, today: store.calendar.today)
                let managers = try await store.allManagers()
                var managerID: UUID?
                if let text = query.string("manager")?.trimmedNonEmpty {
                    guard let manager = Self.manager(text, in: managers) else {
                        throw ValidationError(field: "manager", "no manager with the id or e-mail \(text)")
                    }
                    managerID = manager.id
                }
                // A manager key reads its own values only, as with its scorecard; the head's reads all.
                if let caller = context.actor, caller.role == .manager {
                    let own = caller.managerID
                    let isHead = managers.first(where: { $0.id == own })?.role == .head
                    if !isHead {
                        try ScorecardsController.authorize(caller, toRead: managerID ?? own, managers: managers)
                        managerID = own
                    }
                }
                let byID = Dictionary(managers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                let records = try await store.kpiValues(period: period, managerID: managerID)
                let items = records.compactMap { record in byID[record.managerID].map { KPIValueBody(record, manager: $0) } }
                return try JSONBody.response(try JSONValueEncoder().encode(ListResponse(items: items, nextCursor: nil)))
            },
            APIRoute(.post, "/v1/kpi/values/import", .roles(Self.writers)) { request, context in
                try ScorecardsController.authorizeHead(context.actor, managers: try await store.allManagers())
                let options = try LedgerImportController.options(from: request)
                let query = QueryParameters(request: request)
                let caller = try context.caller
                let source = query.string("source")?.trimmedNonEmpty ?? caller.name
                guard source.count <= ExternalKPIValue.maxSourceLength else {
                    throw ValidationError(field: "source", "at most \(ExternalKPIValue.maxSourceLength) characters")
                }
                let bytes = try await LedgerImportController.fileBytes(of: request, limit: settings.maxImportBytes)
                let file: KPIValueCSV
                do {
                    file = try KPIValueCSV(bytes: bytes, defaultSource: source)
                } catch let error as LedgerCSV.FileError {
                    throw ValidationError(field: error.field, error.message)
                }
                guard file.rejections.isEmpty else {
                    throw ValidationError(file.rejections.map { FieldIssue(field: "line \($0.line): \($0.field)", message: $0.message) })
                }
                let lines = file.rows.map {
                    KPIValueLine(line: $0.line, managerEmail: $0.email, period: $0.period, kpi: $0.kpi, value: $0.value)
                }
                guard !lines.isEmpty else { throw ValidationError(field: "file", "the file has a header but no lines") }
                if options.dryRun {
                    // A dry run checks the managers too, then rolls nothing in: the same answer a real import would give.
                    try await store.checkKPIValueManagers(lines)
                    return try JSONBody.response(try JSONValueEncoder().encode(KPIValuesImportBody(stored: 0, checked: lines.count, dryRun: true)))
                }
                let stored = try await store.importKPIValues(lines, by: caller)
                return try JSONBody.response(try JSONValueEncoder().encode(KPIValuesImportBody(stored: stored, checked: lines.count, dryRun: false)))
            },
        ]
    }

    /// The manager by id or e-mail (the telephony knows its people by e-mail), the period and the KPI.
    static func path(_ context: APIContext, managers: [Manager]) throws -> (Manager, PlanPeriod, KPI) {
        let text = context.parameters.get("manager") ?? ""
        guard let manager = manager(text, in: managers) else {
            if UUID(uuidString: text) != nil || text.looksLikeEmail { throw DomainError.notFound(entity: "manager", id: text) }
            throw ValidationError(field: "manager", "a manager's id or e-mail (got \(text))")
        }
        let period = try ScorecardsController.requiredPeriod(context.parameters.get("period"))
        let name = context.parameters.get("kpi") ?? ""
        guard let kpi = KPI(rawValue: name) else {
            throw ValidationError(field: "kpi", "not a KPI; one of \(KPI.allCases.filter(\.isExternal).map(\.rawValue).joined(separator: ", "))")
        }
        return (manager, period, kpi)
    }

    static func manager(_ text: String, in managers: [Manager]) -> Manager? {
        if let id = UUID(uuidString: text) { return managers.first { $0.id == id } }
        let email = text.lowercased()
        return managers.first { $0.email.lowercased() == email }
    }
}

struct KPIValueRequest: Decodable {
    var value: AmountText?
    var source: String?
}

struct KPIValueBody: Encodable {
    var managerID: UUID
    var managerEmail: String
    var period: String
    var kpi: String
    var title: String
    var unit: String
    var value: Decimal
    var source: String
    var setBy: String
    var setAt: Date

    init(_ record: KPIValueRecord, manager: Manager) {
        managerID = record.managerID
        managerEmail = manager.email
        period = record.period.description
        kpi = record.kpi.rawValue
        title = record.kpi.title
        unit = record.kpi.unit.rawValue
        value = record.value.value
        source = record.value.source
        setBy = record.setBy
        setAt = record.setAt
    }
}

struct KPIValuesImportBody: Encodable {
    var stored: Int
    var checked: Int
    var dryRun: Bool
}
