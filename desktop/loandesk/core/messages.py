"""Message catalogue for domain findings: code -> (English, Chinese).

Kept as data so the GUI, the CLI and memos say exactly the same thing.
"""

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "enterprise_name": ("Enterprise name", "企业名称"),
    "credit_code": ("Unified social credit code", "统一社会信用代码"),
    "industry": ("Industry", "行业"),
    "region_code": ("Region code", "行政区划代码"),
    "registered_on": ("Registered on", "成立日期"),
    "employees": ("Employees", "从业人员"),
    "annual_revenue": ("Annual revenue", "营业收入"),
    "total_assets": ("Total assets", "资产总额"),
    "tax_grade": ("Tax credit grade", "纳税信用等级"),
    "tax_paid_12m": ("Tax paid, last 12 months", "近12个月纳税额"),
    "tax_paid_24m": ("Tax paid, last 24 months", "近24个月纳税额"),
    "invoice_sales_12m": ("Invoiced sales, last 12 months", "近12个月开票销售额"),
    "social_insurance_headcount": ("Social insurance headcount", "社保缴纳人数"),
    "abnormal_operation": ("On abnormal-operation list", "经营异常"),
    "dishonest_debtor": ("Dishonest debtor", "失信被执行人"),
    "has_loan_history": ("Has bank loan history", "有无贷款记录"),
    "legal_rep_name": ("Legal representative", "法定代表人"),
    "legal_rep_id": ("Legal representative ID number", "法定代表人身份证号"),
    "legal_rep_phone": ("Contact phone", "联系电话"),
    "requested_amount": ("Requested amount", "申请金额"),
    "term_months": ("Term (months)", "申请期限(月)"),
    "purpose": ("Purpose", "贷款用途"),
    "guarantee_mode": ("Guarantee mode", "担保方式"),
    "consent_given": ("Consent to query tax and credit data", "征信及涉税信息查询授权"),
    "consent_date": ("Consent date", "授权日期"),
    "consent_scope": ("Consent scope", "授权范围"),
    "code_override_reason": ("Check-digit override reason", "校验位例外说明"),
}

CATALOGUE: dict[str, tuple[str, str]] = {
    "required": ("is required", "必填"),
    "too_long": ("is too long (at most {max} characters)", "过长（最多 {max} 个字符）"),
    # credit code (GB 32100-2015)
    "uscc_length": ("must be 18 characters, got {n}", "应为 18 位，实际 {n} 位"),
    "uscc_charset": (
        "character '{ch}' at position {pos} is not allowed (no I, O, S, V, Z)",
        "第 {pos} 位字符“{ch}”不合法（不含 I、O、S、V、Z）",
    ),
    "uscc_org_check": (
        "organisation code check character (position 17) should be {expected}",
        "组织机构代码校验位（第 17 位）应为 {expected}",
    ),
    "uscc_check": (
        "check character should be {expected}; early pilot-city codes may differ: give a reason to keep it",
        "校验位应为 {expected}；早期试点城市代码可能不符，如确认无误请填写例外说明",
    ),
    "uscc_override_reason": (
        "the check character does not match; a reason is needed to keep this code",
        "校验位不符，保留该代码需填写例外说明",
    ),
    # resident ID (GB 11643-1999)
    "id_length": ("must be 18 characters, got {n}", "应为 18 位，实际 {n} 位"),
    "id_charset": ("must be 17 digits and a digit or X", "应为 17 位数字加 1 位数字或 X"),
    "id_birth_date": ("birth date {date} is not a real past date", "出生日期 {date} 无效或晚于今天"),
    "id_check": ("check character should be {expected}", "校验位应为 {expected}"),
    "id_region": ("region prefix {prefix} is not known; check the number", "地址码 {prefix} 未知，请核对"),
    # phone
    "phone_format": (
        "must be an 11-digit mainland mobile number starting 13-19",
        "应为 13-19 开头的 11 位手机号码",
    ),
    # numbers, money, dates
    "not_integer": ("must be a whole number, got '{value}'", "应为整数，实际为“{value}”"),
    "not_money": ("must be an amount in yuan, got '{value}'", "应为金额（元），实际为“{value}”"),
    "money_exponent": ("write the amount in digits, e.g. 1000000 or 100万, not in scientific notation ('{value}')",
                       "请用数字书写金额，如 1000000 或 100万，不接受科学计数法（“{value}”）"),
    "negative": ("must not be negative", "不能为负数"),
    "below_min": ("must be at least {min}", "不能低于 {min}"),
    "above_max": ("must be at most {max}", "不能高于 {max}"),
    "not_date": ("must be a date YYYY-MM-DD, got '{value}'", "应为日期 YYYY-MM-DD，实际为“{value}”"),
    "future_date": ("must not be in the future", "不能晚于今天"),
    "date_too_old": ("is before {min}", "早于 {min}"),
    "tax_24_lt_12": (
        "tax paid over 24 months cannot be less than over 12 months",
        "近24个月纳税额不能小于近12个月纳税额",
    ),
    "choice": ("must be one of {choices}, got '{value}'", "应为 {choices} 之一，实际为“{value}”"),
    "yes_no": ("must be yes or no (是/否), got '{value}'", "应为 是/否（yes/no），实际为“{value}”"),
    "region_format": ("must be 6 digits", "应为 6 位数字"),
    "consent_missing": (
        "the applicant's consent to query tax and credit data must be recorded",
        "须记录申请人的征信及涉税信息查询授权",
    ),
    "duplicate_code": (
        "an enterprise with this code is already on file: {ref} {name}",
        "已有相同信用代码的企业：{ref} {name}",
    ),
    "duplicate_rep": (
        "this legal representative is already on file for {ref} {name}",
        "该法定代表人已登记于 {ref} {name}",
    ),
}

# ---- scoring (issue 3): batch scoring files and imported scorecards ---------------------------------
CATALOGUE["not_number"] = ("must be a number, got '{value}'", "应为数字，实际为“{value}”")

# ---- bad input (issue 7): plausible bounds (resources/input_bounds.toml) ------------------------------
CATALOGUE["implausible"] = ("'{value}' is not plausible: expected {min} to {max} {unit_en}; check the number",
                            "“{value}”不合常理：应在 {min} 至 {max} {unit_zh} 之间，请核对")

# ---- consent records (issue 8): who gave it, its scope and expiry --------------------------------------
FIELD_LABELS["consent_given_by"] = ("Consent given by", "授权人")
FIELD_LABELS["consent_scopes"] = ("Consent covers", "查询范围")
FIELD_LABELS["consent_expires"] = ("Consent expires on", "授权到期日")
CATALOGUE["consent_scope_word"] = ("'{value}' is not a scope: use tax, credit or tax,credit",
                                   "“{value}”不是授权范围：请用 tax（涉税信息）、credit（征信报告）或 tax,credit")
CATALOGUE["consent_scope_none"] = ("choose what the consent covers: tax data, the credit report or both",
                                   "请选择授权范围：涉税信息、征信报告或两者")
CATALOGUE["consent_expiry_order"] = ("must be after the day the consent was given ({given})",
                                     "须晚于授权日期（{given}）")
CATALOGUE["consent_expiry_far"] = ("is more than {years} years after the consent was given; check the date",
                                   "距授权日期超过 {years} 年，请核对")
