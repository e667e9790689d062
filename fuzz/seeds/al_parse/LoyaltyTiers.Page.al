namespace Contoso.Loyalty;

page 50100 "Loyalty Tiers"
{
    Caption = 'Loyalty Tiers';
    PageType = List;
    SourceTable = "Loyalty Tier";
    UsageCategory = Lists;
    ApplicationArea = All;

    layout
    {
        area(Content)
        {
            repeater(Tiers)
            {
                field("Code"; Rec."Code")
                {
                    ToolTip = 'Specifies the tier code.';
                }
                field(Description; Rec.Description)
                {
                    ToolTip = 'Specifies the tier description.';
                }
                field(MinimumPoints; Rec."Minimum Points")
                {
                    ToolTip = 'Specifies the points needed for the tier.';
                }
                field(Level; Rec.Level)
                {
                    ToolTip = 'Specifies the loyalty level.';
                }
                field(NoOfCustomers; Rec."No. of Customers")
                {
                    ToolTip = 'Specifies how many customers have the tier.';
                }
            }
        }
    }

    actions
    {
        area(Processing)
        {
            action(Recalculate)
            {
                Caption = 'Recalculate Tiers';
                Image = Calculate;
                ToolTip = 'Assigns every customer the tier that matches the points.';

                trigger OnAction()
                var
                    LoyaltyMgt: Codeunit "Loyalty Management";
                begin
                    LoyaltyMgt.RecalculateAll();
                    CurrPage.Update(false);
                end;
            }
            action(Statement)
            {
                Caption = 'Points Statement';
                Image = Report;
                ToolTip = 'Prints the loyalty points statement.';
                RunObject = report "Loyalty Points Statement";
            }
        }
    }
}
