import Foundation

/// What the FNS electronic act needs beyond the act itself (`reconciliation.edo.*` in config): our
/// ОГРН, a contact, the signatory, and the EDO participant id operators route by.
public struct FNSExportSettings: Sendable, Equatable {
    public struct Signatory: Sendable, Equatable {
        public var surname: String
        public var name: String
        public var patronymic: String?
        public var position: String?

        public init(surname: String, name: String, patronymic: String? = nil, position: String? = nil) {
            self.surname = surname
            self.name = name
            self.patronymic = patronymic
            self.position = position
        }
    }

    public var ogrn: String?
    public var phone: String?
    public var email: String?
    public var edoID: String?
    public var signatory: Signatory?
    public var program: String

    public init(
        ogrn: String? = nil, phone: String? = nil, email: String? = nil, edoID: String? = nil, signatory: Signatory? = nil,
        program: String = "dealerd"
    ) {
        self.ogrn = ogrn
        self.phone = phone
        self.email = email
        self.edoID = edoID
        self.signatory = signatory
        self.program = program
    }
}

/// The dealer's details the electronic act names, from its card.
public struct FNSCounterparty: Sendable, Equatable {
    public var ogrn: String?
    public var phone: String?
    public var email: String?
    public var edoID: String?

    public init(ogrn: String?, phone: String?, email: String?, edoID: String?) {
        self.ogrn = ogrn
        self.phone = phone
        self.email = email
        self.edoID = edoID
    }
}

/// Why an act cannot be exported as the FNS file, with the setting or card field to fill.
public struct FNSExportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
}

/// The sender's title of the electronic reconciliation act (КНД 1110332, приказ ФНС ЕД-7-26/405@,
/// format 5.01), as EDO operators (Diadoc, СБИС) exchange it: Windows-1251 XML.
public enum FNSSenderTitle {
    public struct File: Sendable {
        /// `ИдФайл`, which is also the file's name without `.xml`.
        public var id: String
        public var bytes: [UInt8]
    }

    public static func build(
        _ act: ReconciliationAct, settings: FNSExportSettings, dealer: FNSCounterparty, at instant: Date, in zone: TimeZone
    ) throws(FNSExportProblem) -> File {
        let statement = act.statement
        guard let ourOGRN = settings.ogrn, ourOGRN.count == 13, ourOGRN.allSatisfy(\.isASCIIDigit) else {
            throw FNSExportProblem(field: "reconciliation.edo.ogrn", message: "our ОГРН (13 digits) is required by the format; set it in config")
        }
        guard let signatory = settings.signatory else {
            throw FNSExportProblem(field: "reconciliation.edo.signatory", message: "the signatory's surname and name are required by the format")
        }
        guard settings.phone != nil || settings.email != nil else {
            throw FNSExportProblem(field: "reconciliation.edo.phone", message: "a phone or e-mail of ours is required by the format")
        }
        guard statement.dealer.inn.count == 10 else {
            throw FNSExportProblem(field: "dealer.tax_id", message: "only companies (a 10-digit INN) are exported yet; a sole trader's act is printed instead")
        }
        guard let dealerOGRN = dealer.ogrn, dealerOGRN.count == 13, dealerOGRN.allSatisfy(\.isASCIIDigit) else {
            throw FNSExportProblem(field: "dealer.attributes.ogrn", message: "the dealer's ОГРН (13 digits) is required by the format; add it to its card")
        }
        guard dealer.phone != nil || dealer.email != nil else {
            throw FNSExportProblem(field: "dealer.contacts", message: "a phone or e-mail of the dealer is required by the format")
        }
        guard let ourKPP = statement.company.kpp, let dealerKPP = statement.dealer.kpp else {
            throw FNSExportProblem(field: statement.company.kpp == nil ? "company.kpp" : "dealer.kpp", message: "a company's КПП is required by the format")
        }
        let today = CivilDate(instant, in: zone)
        let seconds = (Int(instant.timeIntervalSince1970) + zone.secondsFromGMT(for: instant)) % 86400
        let time = (seconds / 3600).zeroPadded(2) + ":" + (seconds / 60 % 60).zeroPadded(2) + ":" + (seconds % 60).zeroPadded(2)
        let recipient = dealer.edoID ?? "\(statement.dealer.inn)-\(dealerKPP)"
        let sender = settings.edoID ?? "\(statement.company.inn)-\(ourKPP)"
        let fileID = "ON_AKTSVEROTP_\(recipient)_\(sender)_\(today.year.zeroPadded(4))\(today.month.zeroPadded(2))\(today.day.zeroPadded(2))_\(act.id.lowercased)"
        let currency = Currency(code: statement.currency) ?? .rub
        func sum(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
        func balances(_ prefix: String) -> String {
            "СальдоНачДеб=\"\(sum(max(0, statement.openingMinor)))\" СальдоНачКр=\"\(sum(max(0, -statement.openingMinor)))\" "
                + "ОборотДеб=\"\(sum(statement.debitTurnoverMinor))\" ОборотКр=\"\(sum(statement.creditTurnoverMinor))\" "
                + "СальдоКонДеб=\"\(sum(max(0, statement.closingMinor)))\" СальдоКонКр=\"\(sum(max(0, -statement.closingMinor)))\""
        }
        func contact(phone: String?, email: String?) -> String {
            "<Контакт" + (phone.map { " Тлф=\"\(escape($0))\"" } ?? "") + (email.map { " ЭлПочта=\"\(escape($0))\"" } ?? "") + "/>"
        }
        var documents = ""
        for (index, line) in statement.lines.enumerated() {
            let amount = line.debitMinor > 0 ? "СумДебет=\"\(sum(line.debitMinor))\"" : "СумКредит=\"\(sum(line.creditMinor))\""
            documents += """
                        <ДокСв НаимДок="\(escape(String(line.title.prefix(100))))" НомДок="\(escape(String(line.number.prefix(50))))" ДатаДок="\(line.date.russian)">
                          <СвОпер НомСтр="\(index + 1)" ДатаОпер="\(line.date.russian)" НаимОпер="\(escape(line.title))" \(amount)/>
                        </ДокСв>

                """
        }
        let signatoryName = "<ФИО Фамилия=\"\(escape(signatory.surname))\" Имя=\"\(escape(signatory.name))\""
            + (signatory.patronymic.map { " Отчество=\"\(escape($0))\"" } ?? "") + "/>"
        let xml = """
            <?xml version="1.0" encoding="windows-1251"?>
            <Файл ИдФайл="\(escape(fileID))" ВерсФорм="5.01" ВерсПрог="\(escape(String(settings.program.prefix(40))))">
              <Документ КНД="1110332" ДатаИнфОтпр="\(today.russian)" ВрИнфОтпр="\(time)" ДатаНачПер="\(statement.from.russian)" ДатаОкПер="\(statement.to.russian)" НомерАкт="\(escape(act.number))">
                <СвДокКрАкт КодОКВ="\(currency.numericCode)">
                  <СвОтпр>
                    <ИдСв><СвЮЛУч НаимОрг="\(escape(statement.company.name))" ИННЮЛ="\(statement.company.inn)" КПП="\(ourKPP)" ОГРН="\(ourOGRN)"/></ИдСв>
                    \(contact(phone: settings.phone, email: settings.email))
                  </СвОтпр>
                  <СвПол>
                    <ИдСв><СвЮЛУч НаимОрг="\(escape(statement.dealer.name))" ИННЮЛ="\(statement.dealer.inn)" КПП="\(dealerKPP)" ОГРН="\(dealerOGRN)"/></ИдСв>
                    \(contact(phone: dealer.phone, email: dealer.email))
                  </СвПол>
                </СвДокКрАкт>
                <ТаблАкт \(balances(""))>
                  <ДогСв \(balances(""))>
            \(documents)      </ДогСв>
                </ТаблАкт>
                <Подписант\(signatory.position.map { " Должн=\"\(escape($0))\"" } ?? "")>
                  \(signatoryName)
                </Подписант>
              </Документ>
            </Файл>

            """
        switch ImportText.encodeWindows1251(xml) {
        case .success(let bytes): return File(id: fileID, bytes: bytes)
        case .failure(let problem):
            throw FNSExportProblem(field: "act", message: "the character \(problem.character) cannot be written in Windows-1251, which the format requires")
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
