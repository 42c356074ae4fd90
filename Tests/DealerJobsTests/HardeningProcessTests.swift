import DealerCore
import DealerTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The release notes' probes, each of which once stopped dealerd, sent to the real binary on a fresh
/// SQLite database: every one is answered with a clear problem (or refused by role), the same process
/// goes on serving, and on SIGTERM it exits cleanly.
@Suite("Hardening, through the real binary")
struct HardeningProcessTests {
    /// A dealerd process on a fresh SQLite file, with an admin key and keys of the other roles.
    final class Served: @unchecked Sendable {
        let folder: URL
        let port: Int
        let process = Process()
        var keys: [String: String] = [:]

        init(environment extra: [String: String] = [:]) async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-hard-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            port = try freePort()
            var environment = ProcessInfo.processInfo.environment
            environment["DEALERD_DATABASE_URL"] = "sqlite://" + folder.appendingPathComponent("d.sqlite").path
            environment["DEALERD_HTTP_PORT"] = String(port)
            environment["DEALERD_LOG_LEVEL"] = "warning"
            environment.merge(extra) { $1 }
            for role in ["admin", "manager", "accountant", "viewer", "integration"] {
                let create = Process()
                create.executableURL = URL(fileURLWithPath: try ReplicaProcess.binary())
                create.arguments = ["apikey", "create", "--name", "\(role)-key", "--role", role]
                create.environment = environment
                let pipe = Pipe()
                create.standardOutput = pipe
                create.standardError = FileHandle.nullDevice
                try create.run()
                let output = try await offThePool { () -> Data in
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    create.waitUntilExit()
                    return data
                }
                keys[role] = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            process.executableURL = URL(fileURLWithPath: try ReplicaProcess.binary())
            process.arguments = ["serve"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var ready = ""
            for _ in 0..<100 where !ready.contains(" 200 ") {
                try await Task.sleep(for: .milliseconds(100))
                ready = (try? LoopbackHTTP.get(port: port, path: "/readyz")) ?? ""
            }
            try #require(ready.contains(" 200 "), "dealerd became ready")
        }

        deinit {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: folder)
        }

        func call(_ method: String, _ path: String, as role: String = "admin", json: String? = nil) throws -> (status: Int, body: JSONValue) {
            let answer = try LoopbackHTTP.request(method, port: port, path: path, bearer: keys[role], json: json)
            let status = answer.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
            let body = answer.range(of: "\r\n\r\n").map { String(answer[$0.upperBound...]) } ?? ""
            return (status, (try? DealerJSON.decoder().decode(JSONValue.self, from: Data(body.utf8))) ?? .null)
        }

        func stillServing() throws -> Bool {
            guard process.isRunning else { return false }
            return try LoopbackHTTP.get(port: port, path: "/healthz").contains(" 200 ")
        }

        func stop() -> Int32 {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return process.terminationReason == .exit ? process.terminationStatus : -1
        }
    }

    @Test func theProbesThatOnceStoppedDealerdAreAnsweredAndTheProcessServesOn() async throws {
        let served = try await Served()
        func invalid(_ reply: (status: Int, body: JSONValue), naming field: String) -> Bool {
            guard reply.status == 422, case .array(let issues)? = reply.body["invalid_params"] else { return false }
            return issues.contains { $0["name"] == .string(field) }
        }

        // A period in year 9999, by a viewer.
        let farPeriod = try served.call("GET", "/v1/reconciliation-acts?period=9999-12", as: "viewer")
        #expect(invalid(farPeriod, naming: "period"), "\(farPeriod)")
        #expect(try served.stillServing())

        // A dealer, applied, accredited by decision, then a limit past the documented maximum.
        let dealer = try served.call(
            "POST", "/v1/dealers", as: "manager",
            json: #"{"code": "H-1", "name": "Альфа", "tax_id": "7707083893", "region": "Москва", "status": "applicant"}"#)
        let id = try #require(dealer.body["id"]?.stringValue, "\(dealer)")
        let huge = try served.call(
            "PUT", "/v1/dealers/\(id)/credit-policy", as: "accountant", json: #"{"limit": "9999999999999999.99", "reason": "проверка"}"#)
        #expect(invalid(huge, naming: "limit"), "\(huge)")
        let largest = try served.call(
            "PUT", "/v1/dealers/\(id)/credit-policy", as: "accountant", json: #"{"limit": "999999999999.99", "reason": "максимум"}"#)
        #expect(largest.status == 200, "the documented maximum is accepted: \(largest)")
        #expect(try served.stillServing())

        // A manual job run far from now: an instant outside the supported years is refused; the
        // furthest accepted one runs without trapping on its lag.
        let farRun = try served.call("POST", "/v1/jobs/housekeeping/run", as: "manager", json: #"{"as_of": "9999-01-01T00:00:00Z"}"#)
        #expect(farRun.status == 422, "\(farRun)")
        let edgeRun = try served.call("POST", "/v1/jobs/housekeeping/run", as: "manager", json: #"{"as_of": "1900-01-01T00:00:00Z"}"#)
        #expect(edgeRun.status == 202, "\(edgeRun)")
        #expect(try served.stillServing())

        // Dates at and past the ends: 31.12.9999 is refused; 31.12.2199 with the longest payment term
        // is stored, and the dealer's ledger and receivables still read back.
        let poison = try served.call(
            "POST", "/v1/dealers/\(id)/ledger", as: "integration",
            json: #"{"external_id": "P-1", "kind": "shipment", "document_number": "1", "document_date": "31.12.9999", "amount": "10.00"}"#)
        #expect(invalid(poison, naming: "document_date"), "\(poison)")
        _ = try served.call(
            "PUT", "/v1/dealers/\(id)/credit-policy", as: "accountant", json: #"{"payment_term_days": 3650, "reason": "долгая отсрочка"}"#)
        let edge = try served.call(
            "POST", "/v1/dealers/\(id)/ledger", as: "integration",
            json: #"{"external_id": "P-2", "kind": "shipment", "document_number": "2", "document_date": "2199-12-31", "amount": "10.00"}"#)
        #expect(edge.status == 201, "\(edge)")
        #expect(edge.body["due_date"] == .string("2209-12-29"))
        #expect(try served.call("GET", "/v1/dealers/\(id)/ledger").status == 200)
        #expect(try served.call("GET", "/v1/dealers/\(id)/receivables").body["balance"] == .string("10.00"))

        // A manager key cannot make itself head of sales.
        let anna = try served.call(
            "POST", "/v1/managers", as: "manager", json: #"{"name": "Анна", "email": "anna@example.ru", "role": "existing_clients"}"#)
        let annaID = try #require(anna.body["id"]?.stringValue)
        #expect(try served.call("PATCH", "/v1/managers/\(annaID)", as: "manager", json: #"{"role": "head"}"#).status == 403)
        #expect(try served.call("GET", "/v1/managers/\(annaID)").body["role"] == .string("existing_clients"))

        // Accreditation cannot be skipped: not by the status route, not at creation.
        let shortcut = try served.call("POST", "/v1/dealers/\(id)/status", as: "manager", json: #"{"status": "accredited", "reason": "быстро"}"#)
        #expect(shortcut.status == 409 && shortcut.body["type"] == .string("urn:dealerd:problem:accreditation_required"), "\(shortcut)")
        let born = try served.call(
            "POST", "/v1/dealers", as: "manager",
            json: #"{"code": "H-2", "name": "Бета", "tax_id": "7736050003", "region": "Москва", "status": "accredited"}"#)
        #expect(invalid(born, naming: "status"), "\(born)")
        #expect(try served.call("GET", "/v1/dealers/\(id)").body["status"] == .string("applicant"))

        // Text with a NUL character (the fuzzer's find on PostgreSQL) is refused, naming the field.
        #expect(invalid(try served.call("GET", "/v1/dealers?status=prospect&q=a%00b", as: "viewer"), naming: "q"))
        let nul = try served.call(
            "POST", "/v1/dealers", as: "manager", json: #"{"code": "H-3", "name": "Гамма\u0000", "tax_id": "7702070139", "region": "Москва"}"#)
        #expect(invalid(nul, naming: "name"), "\(nul)")

        #expect(try served.stillServing())
        #expect(try await offThePool { served.stop() } == 0, "the same process exits cleanly on SIGTERM")
    }

    /// 2,000 connections that say nothing do not starve a real request, and each is closed after the
    /// configured idle timeout; so is one whose request head trickles in.
    ///
    /// A child process holds the 2,000 sockets: with them open in the test process, Foundation's
    /// `Process.run()` in a concurrent test read past its buffer of open descriptors and crashed
    /// the whole suite (signal 11 in memmove).
    @Test func thousandsOfIdleConnectionsAreClosedAndDoNotStarveHealthz() async throws {
        let limit = RawConnection.raiseOpenFilesLimit()
        try #require(limit > 2_500, "the test needs room for 2,000 sockets (open files: \(limit))")
        let served = try await Served(environment: ["DEALERD_HTTP_IDLE_TIMEOUT_SECONDS": "3"])
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", Self.idleHolder, String(served.port), "2000"]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        let opened = try await offThePool { output.fileHandleForReading.availableLine(timeout: 60) }
        try #require(opened == "open 2000", "the holder opened its connections: \(opened ?? "nothing")")
        let trickler = try RawConnection(port: served.port)
        trickler.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        var timings: [Double] = []
        for _ in 0..<5 {
            let started = Date()
            #expect(try LoopbackHTTP.get(port: served.port, path: "/healthz").contains(" 200 "))
            timings.append(Date().timeIntervalSince(started) * 1000)
        }
        let median = timings.sorted()[2]
        print("hardening: /healthz with 2,000 idle connections open: median \(median) ms of \(timings)")
        // The budget is 100 ms; the suite shares two cores with everything else, so the test asks for
        // a prompt answer and the figure goes to the note.
        #expect(median < 1_000)
        for step in 0..<4 {
            try await Task.sleep(for: .milliseconds(500))
            trickler.send(step % 2 == 0 ? "X" : "-")
        }
        input.fileHandleForWriting.write(Data("wait\n".utf8))
        let closed = try await offThePool { output.fileHandleForReading.availableLine(timeout: 60) }
        #expect(closed == "closed 2000", "idle connections closed by the server: \(closed ?? "no answer")")
        #expect(try await offThePool { trickler.isClosedByPeer(within: 5) }, "a request head that trickles in is not waited for forever")
        #expect(try served.stillServing())
        #expect(try await offThePool { served.stop() } == 0)
    }

    /// Opens N connections to the port and says `open N`; on a line from the test, waits up to 10 s
    /// for the server to close them and says `closed K`.
    static let idleHolder = """
        import resource, select, socket, sys, time
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        port, count = int(sys.argv[1]), int(sys.argv[2])
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        print("open", len(sockets), flush=True)
        sys.stdin.readline()
        poller = select.poll()
        byfd = {s.fileno(): s for s in sockets}
        for fd in byfd: poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        closed, deadline = set(), time.time() + 10
        while len(closed) < count and time.time() < deadline:
            for fd, _ in poller.poll(500):
                try:
                    gone = byfd[fd].recv(1) == b""
                except OSError:
                    gone = True
                if gone:
                    closed.add(fd)
                    poller.unregister(fd)
        print("closed", len(closed), flush=True)
        """

    /// Another process holds SQLite's write lock: a write through the API answers 503 at the
    /// deadline rather than hanging; the abandoned write is whole or nothing, repeating it works, and
    /// the server goes on serving.
    @Test func aRequestStuckOnTheDatabaseAnswers503AtItsDeadline() async throws {
        let served = try await Served(environment: ["DEALERD_HTTP_REQUEST_TIMEOUT_SECONDS": "2"])
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(12)",
            served.folder.appendingPathComponent("d.sqlite").path,
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        let said = try await offThePool { () -> String in
            var said = ""
            while !said.contains("locked") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                said += String(decoding: chunk, as: UTF8.self)
            }
            return said
        }
        try #require(said.contains("locked"), "the other process holds the write lock")
        let create = #"{"code": "LOCK-1", "name": "Замок", "tax_id": "7707083893", "region": "Москва"}"#
        let started = Date()
        let stuck = try await offThePool { try served.call("POST", "/v1/dealers", as: "manager", json: create) }
        let waited = Date().timeIntervalSince(started)
        #expect(stuck.status == 503 && stuck.body["type"] == .string("urn:dealerd:problem:deadline_exceeded"), "\(stuck)")
        // Loose: a shared CI machine once took 5 s to answer at a 2 s deadline; the lock is held 12 s.
        #expect(waited < 10, "answered at the deadline, not after the lock (held 12 s): \(waited) s")
        try await offThePool { holder.waitUntilExit() }
        try await Task.sleep(for: .milliseconds(500))
        // Whole or nothing, then repeated as Retry-After invites.
        let dealersBefore =
            try served.call("GET", "/v1/dealers?q=LOCK-1").body["items"].flatMap { if case .array(let a) = $0 { a.count } else { nil } } ?? -1
        let eventsBefore =
            try served.call("GET", "/v1/events?type=dealer.created", as: "integration").body["items"]
            .flatMap { if case .array(let a) = $0 { a.count } else { nil } } ?? -1
        #expect(dealersBefore == eventsBefore && dealersBefore <= 1, "\(dealersBefore) dealers, \(eventsBefore) events")
        var again = try await offThePool { try served.call("POST", "/v1/dealers", as: "manager", json: create) }
        for _ in 0..<10 where again.status == 503 {
            try await Task.sleep(for: .seconds(1))
            again = try await offThePool { try served.call("POST", "/v1/dealers", as: "manager", json: create) }
        }
        #expect(again.status == 201 || again.status == 409, "\(again)")
        let events = try served.call("GET", "/v1/events?type=dealer.created", as: "integration").body["items"]
        #expect(events.flatMap { if case .array(let a) = $0 { a.count } else { nil } } == 1, "one dealer, announced once")
        #expect(try served.stillServing())
        #expect(try await offThePool { served.stop() } == 0)
    }
}
