namespace Contoso.Loyalty;

using Microsoft.Sales.Customer;

table 50100 "Loyalty Tier"
{
    Caption = 'Loyalty Tier';
    DataClassification = CustomerContent;
    LookupPageId = "Loyalty Tiers";
    DrillDownPageId = 50100;

    fields
    {
        field(1; "Code"; Code[20])
        {
            Caption = 'Code';
            NotBlank = true;
        }
        field(2; Description; Text[100])
        {
            Caption = 'Description';
        }
        field(3; "Minimum Points"; Integer)
        {
            Caption = 'Minimum Points';
            MinValue = 0;
        }
        field(4; Level; Enum "Loyalty Level")
        {
            Caption = 'Level';
        }
        field(5; "No. of Customers"; Integer)
        {
            Caption = 'No. of Customers';
            FieldClass = FlowField;
            CalcFormula = count(Customer where("Loyalty Tier Code" = field("Code")));
            Editable = false;
        }
    }

    keys
    {
        key(PK; "Code")
        {
            Clustered = true;
        }
        key(Points; "Minimum Points")
        {
        }
    }

    fieldgroups
    {
        fieldgroup(DropDown; "Code", Description, Level)
        {
        }
    }

    trigger OnDelete()
    var
        Customer: Record Customer;
    begin
        Customer.SetRange("Loyalty Tier Code", Rec."Code");
        if not Customer.IsEmpty() then
            Error(TierInUseErr, Rec."Code");
    end;

    var
        TierInUseErr: Label 'Tier %1 is assigned to customers.', Comment = '%1 = tier code';
}
